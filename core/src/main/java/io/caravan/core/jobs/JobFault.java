package io.caravan.core.jobs;

import java.io.IOException;
import java.util.Locale;

import io.caravan.core.ssh.FailureKind;
import io.caravan.core.ssh.SshFailure;

/**
 * What a failure of a job command means for the jobs it concerns, decided once where the remote-job routes catch
 * it; their {@code onException} clauses act on it.
 */
public enum JobFault {
    /** Authentication, host key, key file, permission on the base directory: retrying cannot help; fail at once. */
    FATAL,
    /** A connection drop, timeout, MaxStartups drop or refused channel: retried within the host's budget. */
    TRANSIENT,
    /** The transport spent its own reconnect budget: the host is given up on now, not retried on top. */
    UNREACHABLE,
    /** The command ran and failed for its jobs only (a protocol error, an unexpected answer): those jobs fail. */
    JOB;

    public static JobFault of(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof SshFailure f) {
                if (f.kind() == FailureKind.BUDGET_SPENT) {
                    return UNREACHABLE;
                }
                return f.retryable() || f.kind() == FailureKind.COMMAND_TIMEOUT ? TRANSIENT : FATAL;
            }
            String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(Locale.ROOT);
            // root is refused with EPERM where another login gets EACCES: both are the host's "no", never retried
            if (message.contains("permission denied")
                    || message.contains("operation not permitted")
                    || message.contains("read-only file system")) {
                return FATAL;
            }
        }
        return error instanceof Error ? JOB : error instanceof IOException ? TRANSIENT : JOB;
    }

    /** The message to show for it: the deepest cause that says something (sshd's or the shell's own words). */
    public static String reason(Throwable error) {
        String best = String.valueOf(error);
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                best = t.getMessage();
                if (t instanceof SshFailure) {
                    break;
                }
            }
        }
        return best;
    }
}
