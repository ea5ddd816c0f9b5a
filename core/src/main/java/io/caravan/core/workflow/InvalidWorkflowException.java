package io.caravan.core.workflow;

import java.util.List;
import java.util.stream.Collectors;

/** A workflow file that must not run; every problem found, in file order. */
public final class InvalidWorkflowException extends Exception {
    private final List<WorkflowError> errors;

    public InvalidWorkflowException(List<WorkflowError> errors) {
        super(errors.stream().map(WorkflowError::toString).collect(Collectors.joining("\n")));
        this.errors = List.copyOf(errors);
    }

    public List<WorkflowError> errors() {
        return errors;
    }
}
