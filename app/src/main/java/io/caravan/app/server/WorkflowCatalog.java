package io.caravan.app.server;

import java.io.IOException;
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

/**
 * The workflows of a directory (*.yaml, *.yml). An invalid file is left out and reported, not fatal: one broken or
 * hostile file must not keep a server's other workflows (and its runs in flight) from running.
 */
public final class WorkflowCatalog {
    public record Entry(WorkflowDefinition definition, String yaml) {}

    /**
     * A file left out: its first problem as {@code file:line:column: message} and how many it has in all
     * ({@code caravan validate FILE} lists them).
     */
    public record Invalid(Path file, String problem, int problems) {}

    private final Map<String, Entry> byId;
    private final List<Invalid> invalid;

    private WorkflowCatalog(Map<String, Entry> byId, List<Invalid> invalid) {
        this.byId = byId;
        this.invalid = List.copyOf(invalid);
    }

    static WorkflowCatalog load(Path dir, WorkflowLoader loader) throws IOException {
        Map<String, Entry> byId = new LinkedHashMap<>();
        List<Invalid> invalid = new ArrayList<>();
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.filter(p ->
                                p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                        .sorted()
                        .toList()) {
                    try {
                        String yaml = loader.read(file);
                        WorkflowDefinition w = loader.parse(file, yaml, Map.of());
                        Entry previous = byId.putIfAbsent(w.id(), new Entry(w, yaml));
                        if (previous != null) {
                            invalid.add(new Invalid(
                                    file,
                                    new WorkflowError(
                                                    file,
                                                    1,
                                                    1,
                                                    "workflow id '" + w.id() + "' is also used by "
                                                            + previous.definition()
                                                                    .source())
                                            .toString(),
                                    1));
                        }
                    } catch (InvalidWorkflowException e) {
                        invalid.add(new Invalid(
                                file, e.errors().get(0).toString(), e.errors().size()));
                    } catch (IOException e) {
                        invalid.add(new Invalid(file, file + ":1:1: cannot read: " + e.getMessage(), 1));
                    }
                }
            }
        }
        return new WorkflowCatalog(byId, invalid);
    }

    public Entry get(String workflowId) {
        Entry e = byId.get(workflowId);
        if (e == null) {
            throw new IllegalArgumentException(
                    "no workflow '" + workflowId + "'; loaded: " + String.join(", ", byId.keySet()));
        }
        return e;
    }

    public List<WorkflowDefinition> definitions() {
        return byId.values().stream().map(Entry::definition).toList();
    }

    /** The files left out, in file order. */
    public List<Invalid> invalid() {
        return invalid;
    }
}
