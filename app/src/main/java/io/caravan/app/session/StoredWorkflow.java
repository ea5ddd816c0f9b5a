package io.caravan.app.session;

import java.nio.file.Path;
import java.util.Map;

import io.caravan.core.engine.Json;
import io.caravan.core.storage.Run;
import io.caravan.core.workflow.InvalidWorkflowException;
import io.caravan.core.workflow.WorkflowDefinition;
import io.caravan.core.workflow.WorkflowLoader;

/** A run's workflow as it began: the stored YAML and the params it was started with, not today's file. */
public final class StoredWorkflow {
    private StoredWorkflow() {}

    public static WorkflowDefinition of(Run run, WorkflowLoader loader) throws InvalidWorkflowException {
        @SuppressWarnings("unchecked")
        Map<String, Object> params = (Map<String, Object>) Json.read(run.paramsJson());
        return loader.parse(
                        Path.of(run.sourcePath() == null ? "stored workflow of run " + run.id() : run.sourcePath()),
                        run.sourceYaml(),
                        Map.of())
                .withParams(params);
    }
}
