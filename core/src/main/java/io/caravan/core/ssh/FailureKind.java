package io.caravan.core.ssh;

/**
 * Why an SSH operation failed, decided once where the failure is caught. Three classes follow from it:
 * <ul>
 * <li>{@linkplain #fatal() fatal}: retrying cannot help (credentials, host key, configuration, permission);
 *     never retried anywhere, neither by the transport, nor by a task's {@code retries:}, nor by a job
 *     supervisor's rounds; the target is held closed for {@link SshSettings#fatalHold()}</li>
 * <li>{@linkplain #retryable() transient}: retried within the target's bounded, jittered budget</li>
 * <li>neither: the operation itself failed (a command ran too long, a budget ran out); the task's own
 *     {@code retries:} decide</li>
 * </ul>
 */
public enum FailureKind {
    /** The server closed or reset the connection before its banner: OpenSSH's MaxStartups drop. */
    KEX_DROP("kex_drop", Class.TRANSIENT),
    /** Nothing listens on the port (host down or sshd restarting). */
    CONNECT_REFUSED("connect_refused", Class.TRANSIENT),
    /** Connecting, key exchange or authentication took too long. */
    CONNECT_TIMEOUT("connect_timeout", Class.TRANSIENT),
    /** An established connection died. */
    CONNECTION_LOST("connection_lost", Class.TRANSIENT),
    /** The server refused a channel (MaxSessions); retried on the same connection. */
    CHANNEL_REFUSED("channel_refused", Class.TRANSIENT),
    /** Any other I/O or protocol error on the way to a session. */
    TRANSPORT("transport", Class.TRANSIENT),
    /** The server rejected every credential; retrying would only add failed logins to its log. */
    AUTHENTICATION("authentication", Class.FATAL),
    /** The host key is unknown or changed; retrying cannot make it trusted. */
    HOST_KEY("host_key", Class.FATAL),
    /** The local key file is missing or cannot be read or decrypted. */
    IDENTITY("identity", Class.FATAL),
    /** The target cannot be reached as configured: its host name does not resolve, say. */
    CONFIGURATION("configuration", Class.FATAL),
    /** The remote side refused an operation for lack of permission (an unwritable directory, say). */
    PERMISSION("permission", Class.FATAL),
    /** The command ran longer than its timeout; its channel was closed. */
    COMMAND_TIMEOUT("command_timeout", Class.OPERATION),
    /** Transient failures repeated until the reconnect budget was spent. */
    BUDGET_SPENT("budget_spent", Class.OPERATION);

    /** How a failure of the kind is handled. */
    private enum Class {
        FATAL,
        TRANSIENT,
        OPERATION
    }

    private final String tag;
    private final Class type;

    FailureKind(String tag, Class type) {
        this.tag = tag;
        this.type = type;
    }

    public String tag() {
        return tag;
    }

    /** Transient: worth another try on the transport's own budget. */
    public boolean retryable() {
        return type == Class.TRANSIENT;
    }

    /** Fatal: fails what it affects at once; nothing retries it and the target is held closed for a while. */
    public boolean fatal() {
        return type == Class.FATAL;
    }
}
