package io.caravan.app.workflow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import io.caravan.core.workflow.InvalidWorkflowException;
import io.caravan.core.workflow.WorkflowLoader;

/** A server's workflows directory read as the server reads it: the file of a workflow id, and the files it cannot load. */
final class WorkflowDirectory {
    /** A workflow's file and text. */
    record Found(Path file, String yaml) {}

    private final Path dir;
    private final List<String> invalid = new ArrayList<>();

    WorkflowDirectory(Path dir) {
        this.dir = dir;
    }

    /** The file whose workflow has this id; the invalid files met on the way are kept for {@link #notFound}. */
    Optional<Found> find(WorkflowLoader loader, String workflowId) throws IOException {
        try (Stream<Path> files = Files.isDirectory(dir) ? Files.list(dir) : Stream.empty()) {
            for (Path file : files.filter(
                            p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                    .sorted()
                    .toList()) {
                String yaml = readable(loader, file);
                String id = yaml == null ? "" : idOf(loader, file, yaml);
                if (id.isEmpty()) {
                    invalid.add(file.getFileName().toString());
                }
                if (id.equals(workflowId)) {
                    return Optional.of(new Found(file, yaml));
                }
            }
        }
        return Optional.empty();
    }

    String notFound(String workflowId) {
        return "no workflow '" + workflowId + "' in " + dir
                + (invalid.isEmpty()
                        ? ""
                        : " (invalid, not read: " + String.join(", ", invalid) + "; see ./caravan validate)");
    }

    /** The file's text within the workflow limits, or null (the server would not load it either). */
    private static String readable(WorkflowLoader loader, Path file) throws IOException {
        try {
            return loader.read(file);
        } catch (InvalidWorkflowException e) {
            return null;
        }
    }

    /** The id of a valid workflow, "" for an invalid one (the server would not load it either). */
    private static String idOf(WorkflowLoader loader, Path file, String yaml) {
        try {
            return loader.parse(file, yaml, Map.of()).id();
        } catch (InvalidWorkflowException e) {
            return "";
        }
    }
}
