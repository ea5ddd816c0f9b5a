package io.caravan.core.workflow;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.nodes.Node;

/** Collects the problems of one file, so a user sees all of them at once rather than one per attempt. */
final class Problems {
    private final Path file;
    private final List<WorkflowError> errors = new ArrayList<>();

    Problems(Path file) {
        this.file = file;
    }

    void at(Node node, String message) {
        at(node == null ? null : node.getStartMark().orElse(null), message);
    }

    void at(Mark mark, String message) {
        int line = mark == null ? 1 : mark.getLine() + 1;
        int column = mark == null ? 1 : mark.getColumn() + 1;
        errors.add(new WorkflowError(file, line, column, message));
    }

    boolean any() {
        return !errors.isEmpty();
    }

    void throwIfAny() throws InvalidWorkflowException {
        if (any()) {
            List<WorkflowError> sorted = new ArrayList<>(errors);
            Collections.sort(sorted);
            throw new InvalidWorkflowException(sorted);
        }
    }
}
