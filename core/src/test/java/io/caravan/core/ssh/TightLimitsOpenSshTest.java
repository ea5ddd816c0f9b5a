package io.caravan.core.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import io.caravan.testkit.OpenSshExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Acceptance 4: MaxStartups 2:50:4 and MaxSessions 3, 200 commands at once, no failure. */
class TightLimitsOpenSshTest {
    @RegisterExtension
    static final OpenSshExtension SSHD =
            OpenSshExtension.with(b -> b.maxStartups("2:50:4").maxSessions(3));

    @Test
    void twoHundredCommandsAtOnceAllSucceedUnderTightLimits() throws Exception {
        SshTarget target = Targets.of(SSHD.server());
        try (SshTransport transport = SshTransport.start(SshSettings.defaults())) {
            List<Burst.Outcome<ExecResult>> outcomes = Burst.run(200, i -> transport.exec(target, "echo " + i));

            assertThat(outcomes).allSatisfy(o -> {
                assertThat(o.error()).as("command %d", o.index()).isNull();
                assertThat(o.value().stdout()).isEqualTo(o.index() + "\n");
            });
            // MaxSessions 3 < our default cap of 4: refusals happen and are absorbed, never surfaced
            HostStats stats = transport.stats(target.hostAndPort());
            assertThat(stats.channelsOpened()).isGreaterThanOrEqualTo(200);
            assertThat(stats.channelRefusals()).isPositive();
            assertThat(SSHD.server().log().sessionRefusals()).isPositive();
            assertThat(SSHD.server().log().maxStartupsDrops()).isZero();
            assertThat(SSHD.server().log().acceptedLogins()).isBetween(1, 2);
        }
    }
}
