package io.caravan.core.ssh;

import java.net.SocketAddress;
import java.security.PublicKey;

import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.io.IoConnector;
import org.apache.sshd.common.io.IoServiceEventListener;

/**
 * What is known of one handshake while MINA makes it, carried in its connection context. MINA may fail the
 * connect future without ever handing over the session (a host key refused, or a MaxStartups drop, within a
 * few milliseconds on a busy machine), so classifying the failure must not depend on having the session:
 * whether TCP was up, whether the server got as far as showing its host key, and why that key was refused.
 */
final class HandshakeAttempt {
    private static final AttributeKey<HandshakeAttempt> KEY = new AttributeKey<>();

    /** MINA's client-wide listener: marks the attempt whose TCP connection is up. */
    static final IoServiceEventListener CONNECTIONS = new IoServiceEventListener() {
        @Override
        public void connectionEstablished(
                IoConnector connector, SocketAddress local, AttributeRepository context, SocketAddress remote) {
            HandshakeAttempt attempt = context == null ? null : context.getAttribute(KEY);
            if (attempt != null) {
                attempt.connected = true;
            }
        }
    };

    private final ServerKeyVerifier verifier;
    private volatile boolean connected;
    private volatile boolean hostKeyShown;
    private volatile String refusal;

    HandshakeAttempt(ServerKeyVerifier verifier) {
        this.verifier = verifier;
    }

    /** The connection context to hand to {@code SshClient.connect}. */
    AttributeRepository context() {
        return AttributeRepository.ofKeyValuePair(KEY, this);
    }

    /** MINA's single client-wide verifier, dispatching to the attempt's own; no attempt, no trust. */
    static boolean verifyHostKey(ClientSession session, SocketAddress remote, PublicKey key) {
        HandshakeAttempt attempt = session.getConnectionContext() == null
                ? null
                : session.getConnectionContext().getAttribute(KEY);
        return attempt != null && attempt.verify(session, remote, key);
    }

    private boolean verify(ClientSession session, SocketAddress remote, PublicKey key) {
        hostKeyShown = true;
        boolean accepted = verifier.verifyServerKey(session, remote, key);
        if (!accepted) {
            String why = session.getAttribute(TargetKnownHosts.REFUSAL);
            refusal = why != null ? why : "host key " + KeyUtils.getFingerPrint(key) + " refused";
        }
        return accepted;
    }

    /** The TCP connection was established. */
    boolean connected() {
        return connected;
    }

    /** The key exchange got as far as the server's host key: the server was not dropping us. */
    boolean hostKeyShown() {
        return hostKeyShown;
    }

    /** Why the server's host key was refused, or null. */
    String refusal() {
        return refusal;
    }
}
