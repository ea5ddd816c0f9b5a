package io.caravan.core.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.caravan.testkit.OpenSshExtension;
import io.caravan.testkit.OpenSshServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real MaxStartups drops are recognised as such (each one counted as kex_drop, which is what shrinks
 * the handshake gate) and retried, so every command still succeeds.
 * Eight targets (same host, eight copies of the key) make eight pools, so handshakes overlap.
 */
class HandshakeGateOpenSshTest {
    @RegisterExtension
    static final OpenSshExtension SSHD = OpenSshExtension.with(b -> b.maxStartups("1:100:1"));

    @TempDir
    Path dir;

    @Test
    void realMaxStartupsDropsAreRecognisedAndRetriedUntilEveryCommandSucceeds() throws Exception {
        OpenSshServer server = SSHD.server();
        SshTarget[] targets = new SshTarget[8];
        for (int i = 0; i < targets.length; i++) {
            Path key = Files.copy(server.clientKey(), dir.resolve("key-" + i));
            targets[i] = Targets.of(server).withIdentity(key, null);
        }
        try (SshTransport transport = SshTransport.start(SshSettings.defaults())) {
            List<Burst.Outcome<ExecResult>> outcomes =
                    Burst.run(targets.length, i -> transport.exec(targets[i], "echo " + i));

            assertThat(outcomes)
                    .allSatisfy(o ->
                            assertThat(o.error()).as("command %d", o.index()).isNull());
            HostStats stats = transport.stats(targets[0].hostAndPort());
            assertThat(server.log().maxStartupsDrops())
                    .as("sshd dropped overlapping handshakes")
                    .isPositive();
            assertThat(stats.handshakeFailures().get("kex_drop"))
                    .isEqualTo(server.log().maxStartupsDrops());
            assertThat(stats.handshakes()).isEqualTo(targets.length);
        }
    }
}
