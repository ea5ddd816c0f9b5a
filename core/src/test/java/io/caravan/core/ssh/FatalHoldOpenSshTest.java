package io.caravan.core.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.caravan.testkit.OpenSshExtension;
import io.caravan.testkit.OpenSshServer;
import io.caravan.testkit.SshdLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fatal failures through the whole transport against real sshd: never retried, and the target held closed
 * for {@link SshSettings#fatalHold()} so that a burst (or later callers) cannot add connections to sshd's log.
 */
class FatalHoldOpenSshTest {
    @RegisterExtension
    static final OpenSshExtension SSHD = OpenSshExtension.defaults();

    @TempDir
    Path dir;

    private final OpenSshServer server = SSHD.server();

    @Test
    void aWrongKeyMakesOneConnectionAndLaterCallsFailAtOnceUntilTheHoldIsOver() throws Exception {
        SshTarget target = Targets.of(server).withIdentity(server.unauthorizedKey(), null);
        SshdLog log = server.log().since(server.log().mark());
        try (SshTransport transport = SshTransport.start(SshSettings.defaults().withFatalHold(Duration.ofSeconds(2)))) {
            List<Burst.Outcome<ExecResult>> burst = Burst.run(50, i -> transport.exec(target, "true"));
            assertThat(burst)
                    .allSatisfy(o -> assertThat(((SshFailure) o.error()).kind()).isEqualTo(FailureKind.AUTHENTICATION));
            int afterBurst = log.connections();

            long start = System.nanoTime();
            SshFailure later = catchThrowableOfType(SshFailure.class, () -> transport.exec(target, "true"));
            long heldMillis = (System.nanoTime() - start) / 1_000_000;
            int duringHold = log.connections();

            Thread.sleep(2_200);
            SshFailure afterHold = catchThrowableOfType(SshFailure.class, () -> transport.exec(target, "true"));
            System.out.printf(
                    "wrong key: burst of 50 -> %d connection(s); a call during the hold failed in %d ms with %d;"
                            + " after the hold %d%n",
                    afterBurst, heldMillis, duringHold, log.connections());

            assertThat(afterBurst).as(String.join("\n", log.lines())).isEqualTo(1);
            assertThat(later.kind()).isEqualTo(FailureKind.AUTHENTICATION);
            assertThat(later.getMessage())
                    .isEqualTo(burst.get(0).error().getMessage())
                    .contains(server.unauthorizedKey().toString())
                    .contains(target.toString());
            assertThat(duringHold).isEqualTo(1);
            assertThat(afterHold.kind()).isEqualTo(FailureKind.AUTHENTICATION);
            assertThat(log.connections()).as("the hold is over: one new try").isEqualTo(2);
            assertThat(transport.stats(target.hostAndPort()).handshakeFailures())
                    .containsEntry("authentication", 2L);
        }
        log.awaitUntil(l -> l.failedAuthentications() >= 2, Duration.ofSeconds(5));
        assertThat(log.acceptedLogins()).isZero();
        assertThat(log.failedAuthentications()).isEqualTo(2);
    }

    @Test
    void aMissingKeyFileOpensNoConnectionAndSaysSoInOneLine() throws Exception {
        Path missing = dir.resolve("no-such-key");
        SshTarget target = Targets.of(server).withIdentity(missing, null);
        SshdLog log = server.log().since(server.log().mark());
        try (SshTransport transport = SshTransport.start(SshSettings.defaults())) {
            List<Burst.Outcome<ExecResult>> burst = Burst.run(20, i -> transport.exec(target, "true"));

            assertThat(burst).allSatisfy(o -> {
                SshFailure f = (SshFailure) o.error();
                assertThat(f.kind()).isEqualTo(FailureKind.IDENTITY);
                assertThat(f.fatal()).isTrue();
                assertThat(f.getMessage())
                        .contains(missing.toString())
                        .contains(target.toString())
                        .doesNotContain("\n");
            });
        }
        assertThat(log.connections()).as(String.join("\n", log.lines())).isZero();
    }

    @Test
    void anUnknownHostKeyMakesOneConnectionNoLoginAndSaysHostKey() throws Exception {
        SshTarget target =
                Targets.of(server).withKnownHosts(Files.createFile(dir.resolve("known_hosts")), HostKeyPolicy.STRICT);
        SshdLog log = server.log().since(server.log().mark());
        try (SshTransport transport = SshTransport.start(SshSettings.defaults())) {
            List<Burst.Outcome<ExecResult>> burst = Burst.run(50, i -> transport.exec(target, "true"));

            assertThat(burst).allSatisfy(o -> {
                assertThat(((SshFailure) o.error()).kind()).isEqualTo(FailureKind.HOST_KEY);
                assertThat(o.error().getMessage()).contains("host key").contains(target.toString());
            });
        }
        System.out.printf(
                "unknown host key: burst of 50 -> %d connection(s), %d login(s)%n",
                log.connections(), log.acceptedLogins());
        assertThat(log.connections()).isEqualTo(1);
        assertThat(log.acceptedLogins()).isZero();
    }

    @Test
    void anSftpUploadTheServerRefusesIsAPermissionFailureThatLeavesTheTargetUsable() throws Exception {
        Path file = Files.writeString(dir.resolve("payload"), "data");
        SshTarget target = Targets.of(server);
        try (SshTransport transport = SshTransport.start(SshSettings.defaults())) {
            // sysfs refuses new files even to root, so the rig's sshd (running as root) says "permission denied"
            SshFailure failure =
                    catchThrowableOfType(SshFailure.class, () -> transport.upload(target, file, "/sys/caravan-upload"));

            assertThat(failure.kind()).isEqualTo(FailureKind.PERMISSION);
            assertThat(failure.fatal()).isTrue();
            assertThat(failure.getMessage())
                    .containsIgnoringCase("permission denied")
                    .contains(target.toString());
            assertThat(transport.exec(target, "echo still-usable").stdout())
                    .as("a refused operation is not a refused connection: no hold")
                    .isEqualTo("still-usable\n");
        }
    }

    @Test
    void aHostNameThatDoesNotResolveIsAConfigurationErrorAndNeverAMaxStartupsDrop() {
        // rejected by the JDK's resolver itself (an invalid IPv6 literal): no DNS query leaves the machine
        SshTarget target = SshTarget.of(server.user(), "[no-such-host]", server.port())
                .withKnownHosts(server.knownHosts(), HostKeyPolicy.STRICT);
        try (SshTransport transport = SshTransport.start(SshSettings.defaults())) {
            SshFailure first = catchThrowableOfType(SshFailure.class, () -> transport.exec(target, "true"));
            SshFailure second = catchThrowableOfType(SshFailure.class, () -> transport.exec(target, "true"));

            assertThat(first.kind()).isEqualTo(FailureKind.CONFIGURATION);
            assertThat(first.getMessage())
                    .contains("cannot resolve host name '[no-such-host]'")
                    .doesNotContain("MaxStartups");
            assertThat(second.getMessage()).isEqualTo(first.getMessage());
            HostStats stats = transport.stats(target.hostAndPort());
            assertThat(stats.handshakeFailures())
                    .containsEntry("configuration", 1L)
                    .doesNotContainKey("kex_drop");
        }
    }
}
