package io.caravan.core.ssh;

import java.net.ConnectException;
import java.net.SocketTimeoutException;

import org.apache.sshd.client.session.ClientSession;

/** Turns what MINA threw while opening a session into a {@link SshFailure} with a cause worth acting on. */
final class FailureClassifier {
    private FailureClassifier() {
    }

    static SshFailure handshakeFailure(Throwable error, ClientSession session, SshTarget target) {
        if (error instanceof SshFailure f) {
            return f;
        }
        String where = target.toString();
        String refusal = session == null ? null : session.getAttribute(TargetKnownHosts.REFUSAL);
        if (refusal != null) {
            return new SshFailure(FailureKind.HOST_KEY, "refused " + where + ": " + refusal, error);
        }
        if (has(error, ConnectException.class)) {
            return new SshFailure(FailureKind.CONNECT_REFUSED,
                    "cannot connect to " + where + ": connection refused (is sshd running?)", error);
        }
        if (isTimeout(error)) {
            return new SshFailure(FailureKind.CONNECT_TIMEOUT, "connecting to " + where + " timed out", error);
        }
        if (session == null || session.getServerVersion() == null) {
            return new SshFailure(FailureKind.KEX_DROP, "connection to " + where
                    + " closed before the server's SSH banner (sshd's MaxStartups limit?): " + rootMessage(error), error);
        }
        if (messageContains(error, "No more authentication methods")) {
            return new SshFailure(FailureKind.AUTHENTICATION, "authentication failed for " + where
                    + ": the server accepted none of the credentials offered"
                    + (target.identity() == null ? "" : " (key " + target.identity() + ")"), error);
        }
        return new SshFailure(FailureKind.TRANSPORT, "cannot open a session to " + where + ": " + rootMessage(error), error);
    }

    static boolean isTimeout(Throwable error) {
        return has(error, SocketTimeoutException.class) || messageContains(error, "within specified timeout");
    }

    static String rootMessage(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
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
