package io.caravan.core.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.caravan.core.ssh.HostKeyPolicy;
import io.caravan.core.ssh.SshSettings;
import io.caravan.core.ssh.SshTarget;
import io.caravan.core.ssh.SshTransport;
import io.caravan.spi.JobSpec;
import io.caravan.testkit.OpenSshExtension;
import io.caravan.testkit.OpenSshServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Issue 14, acceptance 7 (second half): where jobs start under nohup (no setsid), cancel leaves none of their processes. */
class NohupFallbackOpenSshTest {
    @RegisterExtension
    static final OpenSshExtension SSHD = OpenSshExtension.with(b -> b.extraConfig("SetEnv CARAVAN_NO_SETSID=1"));

    @Test
    void cancelUnderTheNohupFallbackLeavesNoProcessOfTheJob() throws Exception {
        OpenSshServer server = SSHD.server();
        Path base = Files.createDirectories(server.workDir().resolve("jobs-" + System.nanoTime()));
        try (SshTransport transport = SshTransport.start(SshSettings.defaults())) {
            SshTarget target = SshTarget.of(server.user(), server.host(), server.port())
                    .withIdentity(server.clientKey(), null)
                    .withKnownHosts(server.knownHosts(), HostKeyPolicy.STRICT);
            PosixSshJobBackend backend =
                    new PosixSshJobBackend(transport, target, base.toString(), Duration.ofSeconds(60));
            String marker = "71." + (System.nanoTime() % 100000);
            backend.submit(List.of(new JobSpec(
                    "tree", "sleep " + marker + " & sh -c 'sleep " + marker + "' & sleep " + marker, Map.of(), "t")));
            for (int i = 0; i < 100 && pgrep(transport, target, marker).lines().count() < 3; i++) {
                Thread.sleep(100);
            }
            String pgid = Files.readString(base.resolve("tree/pgid")).strip();
            long before = pgrep(transport, target, marker).lines().count();

            backend.cancel(List.of("tree"), true);
            Thread.sleep(500);

            String left = pgrep(transport, target, marker);
            System.out.printf(
                    "acceptance 7: nohup fallback (pgid file '%s'): %d processes of the job before cancel, %d after%n",
                    pgid, before, left.lines().count());
            assertThat(pgid).as("the nohup fallback was taken").doesNotStartWith("-");
            assertThat(before).isGreaterThanOrEqualTo(3);
            assertThat(left).as("processes left of the cancelled job").isBlank();
        }
    }

    private static String pgrep(SshTransport transport, SshTarget target, String marker) {
        return transport
                .exec(target, "pgrep -f '[s]leep " + marker + "' || true")
                .stdout()
                .strip();
    }
}
