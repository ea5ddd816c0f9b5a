package io.caravan.app.cleanup;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import io.caravan.app.fixtures.CaravanRuns;
import io.caravan.app.fixtures.TempCaravanHome;
import io.caravan.spi.posix.OwnerMarker;
import io.caravan.testkit.OpenSshExtension;
import io.caravan.testkit.OpenSshServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code cleanup sweep} against a real sshd, in a base holding true orphans beside decoys that look like them: only
 * directories whose owner marker parses fully and names their own job go; bases and TTLs that could reach what is not
 * Caravan's are refused before any connection, and the host refuses its root and home once links are resolved.
 */
class SweepOpenSshTest {
    @RegisterExtension
    static final OpenSshExtension SSHD = OpenSshExtension.defaults();

    @RegisterExtension
    final TempCaravanHome caravanHome = new TempCaravanHome();

    private Path base;

    @BeforeEach
    void base() throws Exception {
        base = Files.createDirectories(SSHD.server().workDir().resolve("sweep-" + System.nanoTime()));
    }

    /** An ended job's directory as the protocol leaves it, with this marker (none when null), changed two hours ago. */
    private Path job(String name, String owner) throws Exception {
        Path dir = Files.createDirectories(base.resolve(name));
        Files.writeString(dir.resolve("script"), "echo hi\n");
        Files.writeString(dir.resolve("exit"), "0 ok\n");
        if (owner != null) {
            Files.writeString(dir.resolve("owner"), owner);
        }
        return dir;
    }

    private CaravanRuns.Result sweep(String baseArg, String... more) {
        OpenSshServer server = SSHD.server();
        List<String> args = new ArrayList<>(List.of(
                "cleanup",
                "sweep",
                server.user() + "@" + server.host() + ":" + server.port(),
                "-i",
                server.clientKey().toString(),
                "--known-hosts",
                server.knownHosts().toString(),
                "--base",
                baseArg));
        args.addAll(List.of(more));
        return CaravanRuns.cli(args.toArray(String[]::new));
    }

    @Test
    void onlyDirectoriesWhoseMarkerParsesFullyAndNamesTheirJobGo() throws Exception {
        String run = UUID.randomUUID().toString();
        Path engineOrphan =
                job(run + ".shard.3.1", OwnerMarker.engine("4242@node/1a2b3c4d", run, "shard", 3, 1) + "\n");
        Path camelOrphan = job("camel-job-7", OwnerMarker.camel("camel-1", "camel-job-7") + "\n");
        Path garbled =
                job(run + ".shard.4.1", "engine=4242@node/1a2b3c4d run=" + run + " task=shard item=4 attempt=\n");
        Path twoLines = job(run + ".shard.5.1", OwnerMarker.engine("e", run, "shard", 5, 1) + "\nanything else\n");
        Path none = job(run + ".shard.6.1", null);
        Path otherJob = job(run + ".shard.7.1", OwnerMarker.engine("e", run, "shard", 8, 1) + "\n");
        Path foreign = job("backup-2024", "owner=backup-tool job=backup-2024\n");
        Path legacy = job("legacy", "camel camel-1\n");
        Path linked = job(run + ".shard.9.1", null);
        Path realMarker = Files.writeString(
                base.resolveSibling(base.getFileName() + "-marker"),
                OwnerMarker.engine("e", run, "shard", 9, 1) + "\n");
        Files.createSymbolicLink(linked.resolve("owner"), realMarker);
        List<Path> decoys = List.of(garbled, twoLines, none, otherJob, foreign, legacy, linked);
        try (var dirs = Files.list(base)) {
            for (Path dir : dirs.toList()) {
                run("touch", "-h", "-d", "2 hours ago", dir.toString());
            }
        }

        CaravanRuns.Result refused = sweep(base.toString(), "--ttl", "1h");
        assertThat(refused.exit()).as(refused.out()).isEqualTo(2);
        assertThat(refused.out())
                .contains("is not the workdir_base of a known workflow")
                .contains("--force");
        assertThat(engineOrphan)
                .as("nothing is removed when the base is refused")
                .exists();

        CaravanRuns.Result swept = sweep(base.toString(), "--ttl", "1h", "--force");

        System.out.println(swept.out());
        assertThat(swept.exit()).as(swept.out()).isZero();
        assertThat(swept.out())
                .contains(engineOrphan.getFileName() + " removed", camelOrphan.getFileName() + " removed");
        assertThat(engineOrphan).doesNotExist();
        assertThat(camelOrphan).doesNotExist();
        for (Path decoy : decoys) {
            assertThat(decoy).as("decoy %s", decoy.getFileName()).exists();
            assertThat(swept.out()).contains(decoy.getFileName() + " not-ours");
        }
        assertThat(realMarker).exists();
    }

    @Test
    void theRootHomesAndShortTtlsAreRefusedBeforeAnyConnection() throws Exception {
        Path kept = job("x.t.0.1", OwnerMarker.engine("e", "x", "t", 0, 1) + "\n");
        String userHome = System.getProperty("user.home");
        for (String bad : List.of(
                "/",
                "/.",
                "//",
                ".",
                "~",
                "~/",
                "",
                userHome,
                userHome + "/",
                "/home/../",
                Path.of(userHome).getParent().toString(),
                base + "/../" + base.getFileName())) {
            CaravanRuns.Result r = sweep(bad, "--ttl", "1h", "--force");
            assertThat(r.exit()).as("--base '%s': %s", bad, r.out()).isEqualTo(2);
            assertThat(r.out())
                    .as("--base '%s'", bad)
                    .startsWith("cleanup sweep: --base")
                    .doesNotContain("looked at");
        }
        CaravanRuns.Result quick = sweep(".caravan/jobs", "--ttl", "5m");
        assertThat(quick.exit()).as(quick.out()).isEqualTo(2);
        assertThat(quick.out()).contains("--ttl 300s is under 10 minutes").contains("--force");
        assertThat(kept).exists();
    }

    @Test
    void theHostRefusesABaseThatIsItsHomeThroughALink() throws Exception {
        Path link =
                Files.createSymbolicLink(base.resolve("looks-like-a-base"), Path.of(System.getProperty("user.home")));

        CaravanRuns.Result r = sweep(link.toString(), "--ttl", "1h", "--force", "--dry-run");

        assertThat(r.exit()).as(r.out()).isEqualTo(2);
        assertThat(r.out())
                .contains("refused: the base is the root or the home directory")
                .doesNotContain("looked at");
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
    }
}
