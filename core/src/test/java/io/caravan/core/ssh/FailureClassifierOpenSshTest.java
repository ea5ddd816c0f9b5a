package io.caravan.core.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;

import io.caravan.testkit.OpenSshExtension;
import io.caravan.testkit.OpenSshServer;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * The classifier over what MINA really throws: each failure is provoked against a real sshd (or a real
 * socket on loopback) with the production client, and the raw exception is classified as SessionOpener does.
 */
class FailureClassifierOpenSshTest {
    @RegisterExtension
    static final OpenSshExtension SSHD = OpenSshExtension.defaults();
    /** One unauthenticated connection at a time; the next is dropped (rate 100 %) as past MaxStartups. */
    @RegisterExtension
    static final OpenSshExtension TIGHT = OpenSshExtension.with(b -> b.maxStartups("1:100:1"));

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static SshClient client;

    @TempDir
    Path dir;

    @BeforeAll
    static void client() {
        client = SshClients.start(SshSettings.defaults());
    }

    @AfterAll
    static void stop() {
        client.stop();
    }

    /** What one handshake threw, and what the classifier made of it. */
    record Provoked(Throwable raw, SshFailure failure) {
        FailureKind kind() {
            return failure.kind();
        }

        @Override
        public String toString() {
            return kind() + " from " + FailureClassifier.rootMessage(raw) + " ("
                    + raw.getClass().getName() + ")";
        }
    }

    @Test
    void aKeyTheServerRefusesIsAFatalAuthenticationFailureNamingKeyUserAndHost() throws Exception {
        OpenSshServer server = SSHD.server();
        SshTarget target = Targets.of(server).withIdentity(server.unauthorizedKey(), null);

        Provoked p = provoke(target, server.host(), server.port());

        assertThat(p.kind()).as(p.toString()).isEqualTo(FailureKind.AUTHENTICATION);
        assertThat(p.failure().fatal()).isTrue();
        assertThat(p.failure().getMessage())
                .contains(server.unauthorizedKey().toString())
                .contains(server.user() + "@" + server.host() + ":" + server.port());
        assertNoKeyMaterial(p.failure().getMessage(), server.unauthorizedKey());
    }

    @Test
    void anUnknownHostKeyIsAFatalHostKeyFailureThatSaysHostKey() throws Exception {
        OpenSshServer server = SSHD.server();
        SshTarget target =
                Targets.of(server).withKnownHosts(Files.createFile(dir.resolve("known_hosts")), HostKeyPolicy.STRICT);

        Provoked p = provoke(target, server.host(), server.port());

        assertThat(p.kind()).as(p.toString()).isEqualTo(FailureKind.HOST_KEY);
        assertThat(p.failure().fatal()).isTrue();
        assertThat(p.failure().getMessage())
                .contains("host key")
                .contains(target.toString())
                .contains(server.hostKeyFingerprint());
    }

    @Test
    void aHostNameThatDoesNotResolveIsAFatalConfigurationErrorNotAMaxStartupsDrop() throws Exception {
        OpenSshServer server = SSHD.server();
        // an unresolved address fails in NIO's connect without a lookup: no traffic leaves the machine
        SshTarget target = SshTarget.of(server.user(), "no-such-host.invalid", server.port())
                .withKnownHosts(server.knownHosts(), HostKeyPolicy.STRICT);

        Provoked p = provoke(target, InetSocketAddress.createUnresolved(target.host(), target.port()));

        assertThat(p.kind()).as(p.toString()).isEqualTo(FailureKind.CONFIGURATION);
        assertThat(p.failure().fatal()).isTrue();
        assertThat(p.failure().getMessage())
                .contains("cannot resolve host name 'no-such-host.invalid'")
                .doesNotContain("MaxStartups");
    }

    @Test
    void aConnectionDroppedPastMaxStartupsIsATransientKexDrop() throws Exception {
        OpenSshServer server = TIGHT.server();
        int dropsBefore = server.log().maxStartupsDrops();
        // a connection that never sends its banner holds sshd's only unauthenticated slot
        try (Socket holder = new Socket(server.host(), server.port())) {
            holder.getInputStream().read(new byte[64]); // sshd's banner: the holder is counted as a startup
            Provoked p = provoke(Targets.of(server), server.host(), server.port());

            assertThat(p.kind()).as(p.toString()).isEqualTo(FailureKind.KEX_DROP);
            assertThat(p.failure().retryable()).isTrue();
            assertThat(p.failure().fatal()).isFalse();
        }
        assertThat(server.log().maxStartupsDrops()).isGreaterThan(dropsBefore);
    }

    @Test
    void nothingListeningIsATransientRefusal() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        SshTarget target =
                SshTarget.of("nobody", "127.0.0.1", port).withKnownHosts(dir.resolve("kh"), HostKeyPolicy.STRICT);

        Provoked p = provoke(target, "127.0.0.1", port);

        assertThat(p.kind()).as(p.toString()).isEqualTo(FailureKind.CONNECT_REFUSED);
        assertThat(p.failure().retryable()).isTrue();
    }

    @Test
    void aServerThatNeverAnswersIsATransientTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            SshTarget target = SshTarget.of("nobody", "127.0.0.1", silent.getLocalPort())
                    .withKnownHosts(dir.resolve("kh"), HostKeyPolicy.STRICT);

            Provoked p =
                    provoke(target, new InetSocketAddress("127.0.0.1", silent.getLocalPort()), Duration.ofSeconds(1));

            assertThat(p.kind()).as(p.toString()).isEqualTo(FailureKind.CONNECT_TIMEOUT);
            assertThat(p.failure().retryable()).isTrue();
        }
    }

    @Test
    void everyKindIsExactlyOneOfFatalTransientOrAnOperationsOwnFailure() {
        for (FailureKind kind : FailureKind.values()) {
            assertThat(kind.fatal() && kind.retryable()).as(kind.name()).isFalse();
        }
        assertThat(EnumSet.allOf(FailureKind.class).stream().filter(FailureKind::fatal))
                .containsExactlyInAnyOrder(
                        FailureKind.AUTHENTICATION,
                        FailureKind.HOST_KEY,
                        FailureKind.IDENTITY,
                        FailureKind.CONFIGURATION,
                        FailureKind.PERMISSION);
    }

    static void assertNoKeyMaterial(String message, Path key) throws IOException {
        for (String line : Files.readAllLines(key)) {
            if (!line.startsWith("-----") && line.length() > 16) {
                assertThat(message).doesNotContain(line);
            }
        }
    }

    private Provoked provoke(SshTarget target, String host, int port) throws Exception {
        return provoke(target, new InetSocketAddress(host, port), TIMEOUT);
    }

    private Provoked provoke(SshTarget target, SocketAddress address) throws Exception {
        return provoke(target, address, TIMEOUT);
    }

    /** A handshake as SessionOpener makes it, with the target's keys and known_hosts; it must fail. */
    private static Provoked provoke(SshTarget target, SocketAddress address, Duration timeout) throws Exception {
        ServerKeyVerifier verifier = target.hostKeyPolicy() == HostKeyPolicy.INSECURE
                ? AcceptAllServerKeyVerifier.INSTANCE
                : new TargetKnownHosts(target);
        ClientSession session = null;
        HandshakeAttempt attempt = new HandshakeAttempt(verifier);
        try {
            session = client.connect(target.user(), address, attempt.context())
                    .verify(timeout)
                    .getSession();
            Identities.load(target).forEach(session::addPublicKeyIdentity);
            session.auth().verify(timeout);
            throw new AssertionError("the handshake to " + target + " succeeded");
        } catch (IOException | RuntimeException e) {
            Provoked p = new Provoked(e, FailureClassifier.handshakeFailure(e, session, target, attempt));
            System.out.println("provoked: " + p + (session == null ? ", no session handed over" : ""));
            assertThat(e)
                    .as("MINA reports every handshake failure as its own exception type")
                    .isInstanceOf(SshException.class);
            return p;
        } finally {
            if (session != null) {
                session.close(true);
            }
        }
    }
}
