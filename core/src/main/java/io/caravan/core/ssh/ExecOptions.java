package io.caravan.core.ssh;

import java.time.Duration;

/**
 * Per-command options.
 *
 * @param timeout    limit on the command; when it passes the remote process is signalled and the channel closed.
 *                   Null means {@link SshSettings#execTimeout()}.
 * @param idempotent the command may run again after its connection died mid-way; otherwise only commands
 *                   that never reached the server are retried
 */
public record ExecOptions(Duration timeout, boolean idempotent) {

    public static ExecOptions defaults() {
        return new ExecOptions(null, false);
    }

    public static ExecOptions timeout(Duration limit) {
        return new ExecOptions(limit, false);
    }

    public ExecOptions mayRunTwice() {
        return new ExecOptions(timeout, true);
    }

    Duration timeoutOr(Duration fallback) {
        return timeout == null ? fallback : timeout;
    }
}
