package io.caravan.core.ssh;

/** A failed SSH operation, naming the target and saying why in a form a person can act on. */
public class SshFailure extends RuntimeException {
    private final FailureKind kind;

    public SshFailure(FailureKind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public SshFailure(FailureKind kind, String message) {
        this(kind, message, null);
    }

    public FailureKind kind() {
        return kind;
    }

    public boolean retryable() {
        return kind.retryable();
    }

    /** Never to be retried, by anyone: see {@link FailureKind#fatal()}. */
    public boolean fatal() {
        return kind.fatal();
    }

    /** The failure again, for a later caller that meets it while its target is held closed. */
    SshFailure repeated() {
        return new SshFailure(kind, getMessage(), this);
    }

    /** The same failure, reported as the end of a retry loop whose budget ran out. */
    SshFailure budgetSpent(int attempts) {
        return new SshFailure(
                FailureKind.BUDGET_SPENT, getMessage() + " (gave up after " + attempts + " attempts)", this);
    }
}
