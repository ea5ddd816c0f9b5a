package io.caravan.core.ssh;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.TimeoutException;

import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.SshException;
import org.apache.sshd.common.kex.KexState;

/**
 * Turns what MINA (or the JDK under it) threw while opening a session into a {@link SshFailure} whose
 * {@link FailureKind} says what to do about it. The one place where a handshake failure is classified: the
 * kinds decide retries everywhere else.
 */
final class FailureClassifier {
    private FailureClassifier() {}

    /**
     * @param session the session if MINA handed it over (it may fail the connect future without doing so)
     * @param attempt what the handshake got as far as, recorded whether or not there is a session
     */
    static SshFailure handshakeFailure(
            Throwable error, ClientSession session, SshTarget target, HandshakeAttempt attempt) {
        if (error instanceof SshFailure f) {
            return f;
        }
        String where = target.toString();
        String refusal = attempt.refusal() != null
                ? attempt.refusal()
                : session == null ? null : session.getAttribute(TargetKnownHosts.REFUSAL);
        if (refusal != null || disconnectCode(error) == SshConstants.SSH2_DISCONNECT_HOST_KEY_NOT_VERIFIABLE) {
            return new SshFailure(
                    FailureKind.HOST_KEY,
                    "host key check failed for " + where + ": " + (refusal != null ? refusal : rootMessage(error)),
                    error);
        }
        if (has(error, UnknownHostException.class) || has(error, UnresolvedAddressException.class)) {
            return unresolved(target, error);
        }
        if (has(error, ConnectException.class)) {
            return new SshFailure(
                    FailureKind.CONNECT_REFUSED,
                    "cannot connect to " + where + ": connection refused (is sshd running?)",
                    error);
        }
        if (isTimeout(error)) {
            return new SshFailure(FailureKind.CONNECT_TIMEOUT, "connecting to " + where + " timed out", error);
        }
        if (disconnectCode(error) == SshConstants.SSH2_DISCONNECT_NO_MORE_AUTH_METHODS_AVAILABLE
                || messageContains(error, "No more authentication methods")) {
            return new SshFailure(
                    FailureKind.AUTHENTICATION,
                    "authentication failed for " + where + " with " + credentials(target)
                            + ": the server accepted none of the credentials offered",
                    error);
        }
        if (disconnectCode(error) == SshConstants.SSH2_DISCONNECT_KEY_EXCHANGE_FAILED
                || messageContains(error, "Unable to negotiate")) {
            return new SshFailure(
                    FailureKind.CONFIGURATION,
                    "no common key exchange algorithm, cipher or host key type" + " with " + where + ": "
                            + rootMessage(error),
                    error);
        }
        if ((attempt.connected() && !attempt.hostKeyShown())
                || (session != null && droppedBeforeKeyExchange(error, session))) {
            return new SshFailure(
                    FailureKind.KEX_DROP,
                    "connection to " + where + " closed before the key exchange (sshd's MaxStartups limit?): "
                            + rootMessage(error),
                    error);
        }
        return new SshFailure(
                FailureKind.TRANSPORT, "cannot open a session to " + where + ": " + rootMessage(error), error);
    }

    /** A host name that does not resolve: a configuration error, not a busy server. */
    static SshFailure unresolved(SshTarget target, Throwable error) {
        return new SshFailure(
                FailureKind.CONFIGURATION,
                "cannot resolve host name '" + target.host() + "' of " + target + " (check the connection's host): "
                        + rootMessage(error),
                error);
    }

    /**
     * OpenSSH past MaxStartups writes a line and closes before its banner; under load it may also reset a
     * connection whose key exchange has begun. Either way the TCP connection existed and the key exchange never
     * finished (the server never showed its host key); a connection that failed to open at all is something else.
     */
    private static boolean droppedBeforeKeyExchange(Throwable error, ClientSession session) {
        if (session.getServerVersion() == null) {
            return true;
        }
        boolean closed = has(error, EOFException.class)
                || has(error, SocketException.class)
                || messageContains(error, "closed")
                || messageContains(error, "Connection reset");
        return closed && session.getKexState() != KexState.DONE && !session.isAuthenticated();
    }

    private static String credentials(SshTarget target) {
        if (target.identity() != null) {
            return "key " + target.identity();
        }
        return target.password() != null ? "a password" : "no key or password";
    }

    static boolean isTimeout(Throwable error) {
        return has(error, SocketTimeoutException.class)
                || has(error, TimeoutException.class)
                || messageContains(error, "within specified timeout");
    }

    static String rootMessage(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    private static int disconnectCode(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SshException s && s.getDisconnectCode() != 0) {
                return s.getDisconnectCode();
            }
        }
        return 0;
    }

    private static boolean has(Throwable error, Class<? extends Throwable> type) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    private static boolean messageContains(Throwable error, String text) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains(text)) {
                return true;
            }
        }
        return false;
    }
}
