package io.caravan.core.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.caravan.testkit.OpenSshExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Acceptance 5: sshd stopped and restarted in the middle of a burst. */
class RestartOpenSshTest {
    @RegisterExtension
    final OpenSshExtension sshd = OpenSshExtension.defaults();

    @Test
    void everyCommandSucceedsOrFailsClearlyAcrossARestartAndLaterCommandsSucceed() throws Exception {
        SshTarget target = Targets.of(sshd.server());
        try (SshTransport transport = SshTransport.start(SshSettings.defaults())) {
            transport.exec(target, "true");
            CompletableFuture<Void> restart = CompletableFuture.runAsync(() -> {
                sleep(500);
                sshd.server().stop();
                sleep(1_500);
                sshd.server().start();
            });
            long start = System.nanoTime();
            // even commands may run twice (idempotent), odd ones may not
            List<Burst.Outcome<ExecResult>> outcomes = Burst.run(
                    200,
                    i -> transport.exec(
                            target,
                            "sleep 0.$((" + i + " % 10)); echo " + i,
                            i % 2 == 0 ? ExecOptions.defaults().mayRunTwice() : ExecOptions.defaults()));
            restart.get(30, TimeUnit.SECONDS);

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(60));
            for (Burst.Outcome<ExecResult> o : outcomes) {
                if (o.index() % 2 == 0 || !o.failed()) {
                    assertThat(o.error()).as("command %d", o.index()).isNull();
                    assertThat(o.value().stdout()).isEqualTo(o.index() + "\n");
                } else {
                    assertThat(o.error())
                            .isInstanceOf(SshFailure.class)
                            .hasMessageContaining("lost while")
                            .hasMessageContaining(target.hostAndPort());
                    assertThat(((SshFailure) o.error()).kind()).isEqualTo(FailureKind.CONNECTION_LOST);
                }
            }
            assertThat(outcomes).as("commands running when sshd stopped").anyMatch(Burst.Outcome::failed);
            assertThat(transport.stats(target.hostAndPort()).reconnects()).isPositive();

            List<Burst.Outcome<ExecResult>> after = Burst.run(50, i -> transport.exec(target, "echo again-" + i));
            assertThat(after).noneMatch(Burst.Outcome::failed);
        }
    }

    @Test
    void aHostThatStaysDownFailsWithinTheBudgetInsteadOfHanging() {
        SshTarget target = Targets.of(sshd.server());
        SshSettings settings =
                SshSettings.defaults().withReconnect(new Backoff(Duration.ofMillis(50), Duration.ofMillis(200), 4));
        sshd.server().stop();
        try (SshTransport transport = SshTransport.start(settings)) {
            long start = System.nanoTime();
            List<Burst.Outcome<ExecResult>> outcomes;
            try {
                outcomes = Burst.run(20, i -> transport.exec(target, "true"));
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
            assertThat(outcomes).allSatisfy(o -> {
                assertThat(o.error()).isInstanceOf(SshFailure.class);
                assertThat(((SshFailure) o.error()).kind()).isEqualTo(FailureKind.BUDGET_SPENT);
                assertThat(o.error().getMessage())
                        .contains("connection refused")
                        .contains(target.hostAndPort());
            });
            // one series of attempts for the whole burst, not one per caller
            assertThat(transport.stats(target.hostAndPort()).handshakeFailures().get("connect_refused"))
                    .isLessThanOrEqualTo(4L * 2);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
