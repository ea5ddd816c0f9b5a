package io.caravan.core.workflow;

import java.nio.file.Path;

/** One problem in a workflow file, at a 1-based line and column, printed as {@code file:line:column: message}. */
public record WorkflowError(Path file, int line, int column, String message) implements Comparable<WorkflowError> {

    @Override
    public String toString() {
        return file + ":" + line + ":" + column + ": " + message;
    }

    @Override
    public int compareTo(WorkflowError other) {
        return line != other.line ? Integer.compare(line, other.line) : Integer.compare(column, other.column);
    }
}
