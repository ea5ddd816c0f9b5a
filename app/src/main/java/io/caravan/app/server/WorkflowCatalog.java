package io.caravan.app.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.caravan.core.workflow.InvalidWorkflowException;
import io.caravan.core.workflow.WorkflowDefinition;
import io.caravan.core.workflow.WorkflowError;
import io.caravan.core.workflow.WorkflowLoader;

/** The workflows of a directory (*.yaml), all valid or none: a server does not start half-configured. */
public final class WorkflowCatalog {
    public record Entry(WorkflowDefinition definition, String yaml) {
    }

    private final Map<String, Entry> byId;

    private WorkflowCatalog(Map<String, Entry> byId) {
        this.byId = byId;
    }

    static WorkflowCatalog load(Path dir, WorkflowLoader loader) throws IOException, InvalidWorkflowException {
        Map<String, Entry> byId = new LinkedHashMap<>();
        List<WorkflowError> errors = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).sorted().toList()) {
                    String yaml = Files.readString(file, StandardCharsets.UTF_8);
                    try {
                        WorkflowDefinition w = loader.parse(file, yaml, Map.of());
                        Entry previous = byId.putIfAbsent(w.id(), new Entry(w, yaml));
                        if (previous != null) {
                            errors.add(new WorkflowError(file, 1, 1, "workflow id '" + w.id() + "' is also used by "
                                    + previous.definition().source()));
                        }
                    } catch (InvalidWorkflowException e) {
                        errors.addAll(e.errors());
                    }
                }
            }
        }
        if (!errors.isEmpty()) {
            throw new InvalidWorkflowException(errors);
        }
        return new WorkflowCatalog(byId);
    }

    public Entry get(String workflowId) {
        Entry e = byId.get(workflowId);
        if (e == null) {
            throw new IllegalArgumentException("no workflow '" + workflowId + "'; loaded: " + String.join(", ", byId.keySet()));
        }
        return e;
    }

    public List<WorkflowDefinition> definitions() {
        return byId.values().stream().map(Entry::definition).toList();
    }
}
