package io.caravan.core.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;

import io.caravan.testkit.OpenSshExtension;
import io.caravan.testkit.SshdLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Acceptance 7: the timeout bounds the command itself, not only the connect. */
class TimeoutOpenSshTest {
    @RegisterExtension
    static final OpenSshExtension SSHD = OpenSshExtension.defaults();

    @Test
    void aSixtySecondSleepWithAOneSecondTimeoutEndsInAboutOneSecond() {
        SshTarget target = Targets.of(SSHD.server());
        try (SshTransport transport = SshTransport.start(SshSettings.defaults())) {
            transport.exec(target, "true"); // connect first: measure the command, not the handshake
            long start = System.nanoTime();

            SshFailure failure = catchThrowableOfType(
                    SshFailure.class,
                    () -> transport.exec(target, "sleep 60", ExecOptions.timeout(Duration.ofSeconds(1))));

            Duration took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(failure.kind()).isEqualTo(FailureKind.COMMAND_TIMEOUT);
            assertThat(failure.getMessage()).contains("1000 ms").contains(target.hostAndPort());
            assertThat(took).isBetween(Duration.ofMillis(900), Duration.ofSeconds(2));
            // the slot came back: the connection is still usable at once
            assertThat(transport
                            .exec(target, "echo after", ExecOptions.timeout(Duration.ofSeconds(5)))
                            .stdout())
                    .isEqualTo("after\n");
        }
    }

    /**
     * OpenSSH answers a signal request with killpg() on the command's process group, except for root
     * logins (no privilege-separated child), where it logs a refusal. The rig logs in as root, so this
     * checks that the request reaches sshd; with any other user it is what stops the command.
     */
    @Test
    void aTimedOutCommandIsSentASignalRequest() throws Exception {
        SshTarget target = Targets.of(SSHD.server());
        SshdLog log = SSHD.server().log().since(SSHD.server().log().mark());
        try (SshTransport transport = SshTransport.start(SshSettings.defaults())) {
            catchThrowableOfType(
                    SshFailure.class,
                    () -> transport.exec(target, "sleep 30", ExecOptions.timeout(Duration.ofMillis(500))));
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (log.lines().stream().noneMatch(l -> l.contains("session_signal_req"))
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        }
        assertThat(log.lines()).anyMatch(l -> l.contains("session_signal_req"));
    }
}
