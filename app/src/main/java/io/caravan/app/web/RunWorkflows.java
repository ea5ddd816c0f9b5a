package io.caravan.app.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.caravan.app.session.StoredWorkflow;
import io.caravan.core.storage.Run;
import io.caravan.core.workflow.Downstream;
import io.caravan.core.workflow.InvalidWorkflowException;
import io.caravan.core.workflow.WorkflowDefinition;
import io.caravan.core.workflow.WorkflowLoader;

/** The workflow each run was started with (stored with the run), parsed once per run. */
final class RunWorkflows {
    private static final int KEPT = 256;

    private final WorkflowLoader loader;
    private final Map<String, WorkflowDefinition> parsed = new ConcurrentHashMap<>();

    RunWorkflows(WorkflowLoader loader) {
        this.loader = loader;
    }

    WorkflowDefinition of(Run run) {
        if (parsed.size() > KEPT) {
            parsed.clear(); // a page or two of runs at a time: no need for more than a bounded memo
        }
        return parsed.computeIfAbsent(run.id(), id -> {
            try {
                return StoredWorkflow.of(run, loader);
            } catch (InvalidWorkflowException e) {
                throw new ApiError(500, "run " + id + ": its stored workflow no longer loads: " + e.getMessage());
            }
        });
    }

    List<String> taskOrder(Run run) {
        return new ArrayList<>(of(run).tasks().keySet());
    }

    /** Every task that depends on {@code taskId}, directly or through others. */
    Set<String> downstream(Run run, String taskId) {
        return Downstream.of(of(run), taskId);
    }
}
