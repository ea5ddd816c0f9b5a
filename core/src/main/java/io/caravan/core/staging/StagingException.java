package io.caravan.core.staging;

/** A declared file that cannot be staged (missing, a glob without a match, a bad path): a failure of the workflow's files, not of the host. */
public final class StagingException extends RuntimeException {
    public StagingException(String message) {
        super(message);
    }
}
