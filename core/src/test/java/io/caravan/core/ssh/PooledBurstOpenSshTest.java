package io.caravan.core.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.caravan.testkit.OpenSshExtension;
import io.caravan.testkit.SshdLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Acceptance 1: default sshd limits, 500 commands at once through one transport. */
class PooledBurstOpenSshTest {
    @RegisterExtension
    static final OpenSshExtension SSHD = OpenSshExtension.defaults();

    @Test
    void fiveHundredCommandsAtOnceUseAtMostTwoLoginsAndNoDrops() throws Exception {
        SshTarget target = Targets.of(SSHD.server());
        SshdLog log = SSHD.server().log().since(SSHD.server().log().mark());
        try (SshTransport transport = SshTransport.start(SshSettings.defaults())) {
            List<Burst.Outcome<ExecResult>> outcomes = Burst.run(
                    500, i -> transport.exec(target, "echo out-" + i + "; echo err-" + i + " >&2; exit " + (i % 3)));

            assertThat(outcomes).noneMatch(Burst.Outcome::failed);
            for (Burst.Outcome<ExecResult> o : outcomes) {
                assertThat(o.value().stdout()).isEqualTo("out-" + o.index() + "\n");
                assertThat(o.value().stderr()).isEqualTo("err-" + o.index() + "\n");
                assertThat(o.value().exitCode()).isEqualTo(o.index() % 3);
            }
            HostStats stats = transport.stats(target.hostAndPort());
            assertThat(stats.handshakes()).isBetween(1L, 2L);
            assertThat(stats.channelsOpened()).isGreaterThanOrEqualTo(500);
            assertThat(log.acceptedLogins()).as(log.counts().toString()).isBetween(1, 2);
            assertThat(log.maxStartupsDrops()).isZero();
            assertThat(transport.openConnections(target.hostAndPort())).isBetween(1, 2);
        }
    }
}
