package io.caravan.core.ssh;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens one authenticated session to a target: through the host's {@link HandshakeGate}, through a
 * jump host's forwarded port when there is one, with the target's keys and known_hosts. Counts each
 * login and each failure by cause.
 */
final class SessionOpener {
    private static final Logger LOG = LoggerFactory.getLogger(SessionOpener.class);
    /** Opens a local forward through another target; the transport's pools implement it. */
    interface Forwarder {
        PortForward forward(SshTarget via, String host, int port) throws InterruptedException;
    }

    private final SshClient client;
    private final SshSettings settings;
    private final SshMetrics metrics;
    private final Forwarder forwarder;
    private final Map<String, HandshakeGate> gates = new ConcurrentHashMap<>();
    private final Map<SshTarget, List<KeyPair>> keys = new ConcurrentHashMap<>();
    private final Map<SshTarget, TargetKnownHosts> knownHosts = new ConcurrentHashMap<>();

    SessionOpener(SshClient client, SshSettings settings, SshMetrics metrics, Forwarder forwarder) {
        this.client = client;
        this.settings = settings;
        this.metrics = metrics;
        this.forwarder = forwarder;
    }

    ClientSession open(SshTarget target) throws InterruptedException {
        List<KeyPair> identities = keys.computeIfAbsent(target, Identities::load);
        TargetKnownHosts hostKeys = target.hostKeyPolicy() == HostKeyPolicy.INSECURE
                ? null
                : knownHosts.computeIfAbsent(target, TargetKnownHosts::new);
        SocketAddress direct = target.jump() == null ? resolve(target) : null;
        PortForward tunnel =
                target.jump() == null ? null : forwarder.forward(target.jump(), target.host(), target.port());
        SocketAddress address = tunnel == null ? direct : tunnel.localAddress();
        HandshakeGate gate = gates.computeIfAbsent(target.hostAndPort(), h -> new HandshakeGate(h, settings.gate()));
        try {
            gate.enter(System.nanoTime() + settings.connectTimeout().toNanos());
        } catch (InterruptedException | RuntimeException e) {
            closeQuietly(tunnel);
            throw e;
        }
        ClientSession session = null;
        HandshakeAttempt attempt =
                new HandshakeAttempt(hostKeys == null ? AcceptAllServerKeyVerifier.INSTANCE : hostKeys);
        try {
            session = client.connect(target.user(), address, attempt.context())
                    .verify(settings.connectTimeout())
                    .getSession();
            identities.forEach(session::addPublicKeyIdentity);
            if (target.password() != null) {
                session.addPasswordIdentity(target.password().reveal());
            }
            session.auth().verify(settings.connectTimeout());
            gate.succeeded();
            metrics.handshake(target.hostAndPort());
            // the local address is what the server logs: it ties a login in sshd's log to this process
            LOG.debug(
                    "connected to {} from {}",
                    target.hostAndPort(),
                    session.getIoSession().getLocalAddress());
            if (tunnel != null) {
                session.addCloseFutureListener(f -> tunnel.close());
            }
            return session;
        } catch (IOException | RuntimeException e) {
            SshFailure failure = FailureClassifier.handshakeFailure(e, session, target, attempt);
            if (failure.kind() == FailureKind.KEX_DROP) {
                gate.dropped();
            } else {
                gate.failed();
            }
            metrics.handshakeFailed(target.hostAndPort(), failure.kind());
            if (session != null) {
                session.close(true);
            }
            closeQuietly(tunnel);
            throw failure;
        }
    }

    /** Resolved here, outside the handshake gate: a name that does not resolve is a configuration error, not a drop. */
    private SocketAddress resolve(SshTarget target) {
        try {
            return new InetSocketAddress(InetAddress.getByName(target.host()), target.port());
        } catch (UnknownHostException e) {
            SshFailure failure = FailureClassifier.unresolved(target, e);
            metrics.handshakeFailed(target.hostAndPort(), failure.kind());
            throw failure;
        }
    }

    private static void closeQuietly(PortForward tunnel) {
        if (tunnel != null) {
            tunnel.close();
        }
    }
}
