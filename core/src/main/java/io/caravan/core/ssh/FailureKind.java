package io.caravan.core.ssh;

/** Why an SSH operation failed; decides whether it is worth another try and tags the per-host figures. */
public enum FailureKind {
    /** The server closed or reset the connection before its banner: OpenSSH's MaxStartups drop. */
    KEX_DROP("kex_drop", true),
    /** Nothing listens on the port (host down or sshd restarting). */
    CONNECT_REFUSED("connect_refused", true),
    /** Connecting, key exchange or authentication took too long. */
    CONNECT_TIMEOUT("connect_timeout", true),
    /** An established connection died. */
    CONNECTION_LOST("connection_lost", true),
    /** The server refused a channel (MaxSessions); retried on the same connection. */
    CHANNEL_REFUSED("channel_refused", true),
    /** Any other I/O or protocol error on the way to a session. */
    TRANSPORT("transport", true),
    /** The server rejected every credential; retrying would only add failed logins to its log. */
    AUTHENTICATION("authentication", false),
    /** The host key is unknown or changed; retrying cannot make it trusted. */
    HOST_KEY("host_key", false),
    /** The local key file cannot be read or decrypted. */
    IDENTITY("identity", false),
    /** The command ran longer than its timeout; its channel was closed. */
    COMMAND_TIMEOUT("command_timeout", false),
    /** Retryable failures repeated until the reconnect budget was spent. */
    BUDGET_SPENT("budget_spent", false);

    private final String tag;
    private final boolean retryable;

    FailureKind(String tag, boolean retryable) {
        this.tag = tag;
        this.retryable = retryable;
    }

    public String tag() {
        return tag;
    }

    public boolean retryable() {
        return retryable;
    }

    /**
     * Whether a task that met it fails at once, its own retries unused: credentials, host keys and key files are
     * configuration, which no later attempt mends (a command's timeout or a spent budget may pass).
     */
    public boolean fatal() {
        return this == AUTHENTICATION || this == HOST_KEY || this == IDENTITY;
    }
}
