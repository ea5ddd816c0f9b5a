package io.caravan.core.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import io.caravan.testkit.EmbeddedSshServer;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pool behaviour that does not depend on OpenSSH: fast, on the embedded MINA host. */
class PoolLifecycleTest {
    private static EmbeddedSshServer host;

    @BeforeAll
    static void start() throws Exception {
        host = EmbeddedSshServer.startWithTestPassword();
    }

    @AfterAll
    static void stop() throws Exception {
        host.close();
    }

    @Test
    void anIdleConnectionIsClosedAndTheNextCommandOpensANewOneWithoutCountingAReconnect() throws Exception {
        SshTarget target = Targets.of(host);
        try (SshTransport transport =
                SshTransport.start(SshSettings.defaults().withIdleTimeout(Duration.ofMillis(500)))) {
            transport.exec(target, "true");
            assertThat(transport.openConnections(target.hostAndPort())).isEqualTo(1);

            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (transport.openConnections(target.hostAndPort()) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(100);
            }
            assertThat(transport.openConnections(target.hostAndPort())).isZero();

            assertThat(transport.exec(target, "echo back").stdout()).isEqualTo("back\n");
            HostStats stats = transport.stats(target.hostAndPort());
            assertThat(stats.handshakes()).isEqualTo(2);
            // an idle close is no loss: only a connect that failed on the way back (a loaded machine's timeout) counts
            // one
            assertThat(stats.reconnects())
                    .as("handshake failures %s", stats.handshakeFailures())
                    .isEqualTo(Math.min(1, stats.handshakeFailureCount()));
        }
    }

    @Test
    void sequentialCommandsShareOneConnection() {
        SshTarget target = Targets.of(host);
        try (SshTransport transport = SshTransport.start(SshSettings.defaults())) {
            for (int i = 0; i < 50; i++) {
                assertThat(transport.exec(target, "echo " + i).stdout()).isEqualTo(i + "\n");
            }
            assertThat(transport.stats(target.hostAndPort()).handshakes()).isEqualTo(1);
            assertThat(transport.stats(target.hostAndPort()).channelsOpened()).isEqualTo(50);
        }
    }

    @Test
    void outputBeyondTheCaptureLimitIsTruncatedAndSaidSo() {
        SshTarget target = Targets.of(host);
        SshSettings small = new SshSettings(
                SshSettings.defaults().connectTimeout(),
                Duration.ofSeconds(15),
                4,
                Duration.ofMinutes(5),
                2,
                4,
                SshSettings.defaults().gate(),
                SshSettings.defaults().reconnect(),
                SshSettings.defaults().channelRefused(),
                Duration.ofMinutes(1),
                Duration.ofMinutes(1),
                1000,
                SshSettings.defaults().fatalHold());
        try (SshTransport transport = SshTransport.start(small)) {
            ExecResult r = transport.exec(target, "head -c 5000 /dev/zero | tr '\\0' x");
            assertThat(r.stdout()).hasSize(1000);
            assertThat(r.truncated()).isTrue();
            assertThat(r.exitCode()).isZero();
        }
    }

    @Test
    void aCommandReadingStdinSeesEndOfFileInsteadOfHanging() {
        SshTarget target = Targets.of(host);
        try (SshTransport transport = SshTransport.start(SshSettings.defaults())) {
            ExecResult r = transport.exec(target, "cat; echo done", ExecOptions.timeout(Duration.ofSeconds(10)));
            assertThat(r.stdout()).isEqualTo("done\n");
        }
    }

    @Test
    void passwordLoginWorksAndAWrongPasswordIsAFatalAuthenticationFailure() {
        SshTarget base = SshTarget.of(host.user(), host.host(), host.port())
                .withKnownHosts(host.knownHosts(), HostKeyPolicy.STRICT);
        try (SshTransport transport = SshTransport.start(SshSettings.defaults())) {
            assertThat(transport
                            .exec(base.withPassword(Secret.of(EmbeddedSshServer.PASSWORD)), "echo in")
                            .stdout())
                    .isEqualTo("in\n");

            SshFailure failure = Assertions.catchThrowableOfType(
                    SshFailure.class, () -> transport.exec(base.withPassword(Secret.of("wrong-password")), "true"));
            assertThat(failure.kind()).isEqualTo(FailureKind.AUTHENTICATION);
            assertThat(failure.getMessage()).doesNotContain("wrong-password");
        }
    }
}
