package io.caravan.app.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import io.caravan.app.fixtures.CaravanRuns;
import io.caravan.app.session.DatabaseOptions;
import io.caravan.core.runs.TaskState;
import io.caravan.core.storage.CleanupDebt;
import io.caravan.core.storage.Database;
import io.caravan.core.storage.DebtStore;
import io.caravan.core.storage.TaskInstance;
import io.caravan.spi.posix.OwnerMarker;
import io.caravan.testkit.OpenSshExtension;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Issue 18, acceptance 4: stage_in and stage_out of a remote_job on a real sshd (the host is this machine). */
class StagingOpenSshTest {
    @RegisterExtension
    static final OpenSshExtension SSHD = OpenSshExtension.defaults();

    @TempDir
    Path home;

    private Path base;
    private Path shared;
    private CaravanRuns runs;

    @BeforeEach
    void home() throws Exception {
        System.setProperty("caravan.home", home.toString());
        base = Files.createDirectories(SSHD.server().workDir().resolve("jobs-" + System.nanoTime()));
        shared = Files.createDirectories(SSHD.server().workDir().resolve("shared-" + System.nanoTime()));
        runs = new CaravanRuns(home);
    }

    @AfterEach
    void clear() {
        System.clearProperty("caravan.home");
    }

    private String workflow(String id, String job) {
        return CaravanRuns.remoteJob(id, SSHD.server(), base, job);
    }

    @Test
    void threeFilesGoInOneUnchangedIsSkippedByHashAndTheOutputsComeBackByteIdentical() throws Exception {
        Path in = Files.createDirectories(home.resolve("in"));
        byte[] big = random(300_000, 1);
        Files.write(in.resolve("model.bin"), big);
        Files.writeString(in.resolve("params.txt"), "alpha=1\n");
        byte[] reference = random(50_000, 2);
        Files.write(in.resolve("reference.dat"), reference);
        Path placed = Files.write(shared.resolve("reference.dat"), reference); // already on the host, same content
        Object inode = Files.getAttribute(placed, "unix:ino");
        long modified = Files.getLastModifiedTime(placed).toMillis();

        CaravanRuns.Result r = runs.run("staging", workflow("staging", """
                cleanup: never
                stage_in:
                  - { from: in/model.bin }
                  - { from: "in/*.txt", to: conf/ }
                  - { from: in/reference.dat, to: %s }
                stage_out:
                  - { from: produced.bin, to: results/produced.bin }
                  - { from: "out/part-*.csv", to: results/parts/ }
                script: |
                  mkdir out
                  cat model.bin conf/params.txt %s > produced.bin
                  for i in 1 2 3; do head -c 20000 /dev/urandom > out/part-$i.csv; done
                """.formatted(placed, placed)));

        assertThat(r.exit()).as(r.out()).isZero();
        TaskInstance job = runs.instances(r.runId()).get(0);
        String log = CaravanRuns.log(job);
        assertThat(log)
                .contains("[caravan] stage_in: 3 files, 341.8 KiB to ")
                .contains("stage_in: 2 sent (293.0 KiB), 1 unchanged on the host (same SHA-256), skipped")
                .contains("[caravan] stage_out: 4 files, ");
        assertThat(Files.getAttribute(placed, "unix:ino"))
                .as("not written again")
                .isEqualTo(inode);
        assertThat(Files.getLastModifiedTime(placed).toMillis()).isEqualTo(modified);

        Path dir = only(base);
        assertThat(Files.readAllBytes(dir.resolve("model.bin"))).isEqualTo(big);
        assertThat(Files.readString(dir.resolve("conf/params.txt"))).isEqualTo("alpha=1\n");
        assertThat(Files.readAllBytes(home.resolve("results/produced.bin")))
                .isEqualTo(Files.readAllBytes(dir.resolve("produced.bin")));
        assertThat(Files.size(home.resolve("results/produced.bin"))).isEqualTo(300_000 + 8 + 50_000);
        for (int i = 1; i <= 3; i++) {
            assertThat(Files.readAllBytes(home.resolve("results/parts/part-" + i + ".csv")))
                    .isEqualTo(Files.readAllBytes(dir.resolve("out/part-" + i + ".csv")));
        }
        assertThat(leftovers(home.resolve("results")))
                .as("no temporary file here")
                .isEmpty();
        assertThat(leftovers(dir)).as("no temporary file on the host").isEmpty();
    }

    @Test
    void aMissingDeclaredOutputFailsTheTaskWithItsPathAndNothingIsFetched() throws Exception {
        CaravanRuns.Result r = runs.run("missing", workflow("missing", """
                stage_out:
                  - { from: made.txt, to: got/made.txt }
                  - { from: results/summary.json, to: got/summary.json }
                script: echo made > made.txt
                """));

        TaskInstance job = runs.instances(r.runId()).get(0);
        assertThat(job.state()).isEqualTo(TaskState.FAILED);
        assertThat(job.error())
                .contains("declared output missing")
                .contains(base + "/" + r.runId() + ".job.0.1/results/summary.json");
        assertThat(home.resolve("got"))
                .as("all or nothing: made.txt is not fetched either")
                .doesNotExist();
    }

    @Test
    void aGlobWithoutMatchFailsUnlessOptional() throws Exception {
        CaravanRuns.Result optional = runs.run("optional", workflow("optional", """
                stage_out:
                  - { from: "*.log", to: job-logs/, optional: true }
                  - { from: "*.txt", to: texts/ }
                script: echo a > a.txt
                """));
        assertThat(runs.instances(optional.runId()).get(0).state()).isEqualTo(TaskState.SUCCEEDED);
        assertThat(home.resolve("texts/a.txt")).hasContent("a");
        assertThat(home.resolve("job-logs")).doesNotExist();

        CaravanRuns.Result required = runs.run("required", workflow("required", """
                stage_out:
                  - { from: "*.log", to: logs/ }
                script: echo a > a.txt
                """));
        TaskInstance job = runs.instances(required.runId()).get(0);
        assertThat(job.state()).isEqualTo(TaskState.FAILED);
        assertThat(job.error()).contains("matches").contains(required.runId() + ".job.0.1/*.log");
    }

    @Test
    void afterAFailedJobOnlyTheAlwaysLinesAreFetchedAndTheJobsReasonStays() throws Exception {
        CaravanRuns.Result r = runs.run("failed", workflow("failed", """
                stage_out:
                  - { from: debug.log, to: debug/debug.log, when: always }
                  - { from: result.txt, to: result.txt }
                script: |
                  echo trace > debug.log
                  echo partial > result.txt
                  exit 3
                """));
        TaskInstance job = runs.instances(r.runId()).get(0);
        assertThat(job.state()).isEqualTo(TaskState.FAILED);
        assertThat(job.error()).contains("3").doesNotContain("stage_out");
        assertThat(home.resolve("debug/debug.log")).hasContent("trace");
        assertThat(home.resolve("result.txt")).doesNotExist();
    }

    @Test
    void aStageInThatFailsHalfWayLeavesNoJobDirectoryOnTheHost() throws Exception {
        Files.writeString(home.resolve("first.txt"), "first");
        Files.writeString(home.resolve("second.txt"), "second");
        Path taken = Files.createDirectories(shared.resolve("taken")); // a directory: the rename onto it fails
        CaravanRuns.Result r = runs.run("refused", workflow("refused", """
                stage_in:
                  - { from: first.txt }
                  - { from: second.txt, to: %s }
                script: echo never > ran
                """.formatted(taken)));

        TaskInstance job = runs.instances(r.runId()).get(0);
        assertThat(job.state()).isEqualTo(TaskState.FAILED);
        assertThat(job.error()).contains("second.txt");
        try (Stream<Path> dirs = Files.list(base)) {
            assertThat(dirs.filter(Files::isDirectory).toList())
                    .as("the job directory, first.txt in it, is removed")
                    .isEmpty();
        }
        assertThat(leftovers(shared)).as("no temporary file on the host").isEmpty();
        assertThat(CaravanRuns.log(job)).contains("[caravan] stage_in failed: ");
    }

    /** A dropped connection mid-upload: the job directory left behind carries its owner marker and is owed. */
    @Test
    void aConnectionDroppedDuringStageInLeavesAMarkedDirectoryThatIsOwed() throws Exception {
        Path big = home.resolve("big.bin");
        byte[] block = random(4 << 20, 3);
        try (var out = Files.newOutputStream(big)) {
            for (int i = 0; i < 64; i++) {
                out.write(block);
            }
        }
        System.setProperty("caravan.ssh.reconnect.attempts", "2");
        AtomicBoolean dropped = new AtomicBoolean();
        Thread dropper = new Thread(() -> {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!dropped.get() && System.nanoTime() < deadline) {
                if (!leftoversQuietly(base).isEmpty()) { // the upload's temporary file: bytes are flowing
                    SSHD.server().stop();
                    dropped.set(true);
                }
            }
        });
        dropper.start();
        try {
            CaravanRuns.Result r = runs.run("dropped", workflow("dropped", """
                    stage_in: [ { from: big.bin } ]
                    script: echo never > ran
                    """));
            dropper.join(10_000);

            assertThat(dropped).as("sshd was stopped during the upload").isTrue();
            TaskInstance job = runs.instances(r.runId()).get(0);
            assertThat(job.state()).isEqualTo(TaskState.FAILED);
            Path dir = only(base);
            String marker = Files.readString(dir.resolve("owner")).strip();
            assertThat(OwnerMarker.parses(marker)).as(marker).isTrue();
            assertThat(marker).contains("run=" + r.runId() + " task=job item=0 attempt=1");
            assertThat(dir.resolve("script")).as("no job was started in it").doesNotExist();
            assertThat(dir.resolve("ran")).doesNotExist();
            assertThat(removalsWrittenDown())
                    .as("its removal is written down with the attempt")
                    .contains(dir.getFileName().toString());
        } finally {
            dropped.set(true);
            System.clearProperty("caravan.ssh.reconnect.attempts");
            SSHD.server().start();
        }
    }

    private static Path only(Path base) throws Exception {
        try (Stream<Path> dirs = Files.list(base)) {
            List<Path> all = dirs.filter(Files::isDirectory).toList();
            assertThat(all).hasSize(1);
            return all.get(0);
        }
    }

    /** Job ids of the directories owed or whose removal is under way (held by this engine until it is overdue). */
    private List<String> removalsWrittenDown() {
        try (Database db = Database.open(new DatabaseOptions().config(home))) {
            return new DebtStore(db)
                    .all(Instant.now().plus(Duration.ofDays(1))).stream()
                            .map(CleanupDebt::jobId)
                            .toList();
        }
    }

    private static List<Path> leftoversQuietly(Path dir) {
        try {
            return leftovers(dir);
        } catch (Exception e) {
            return List.of(); // a file renamed or removed while the tree was walked
        }
    }

    /** Temporary names of a transfer: ".caravan-" in them, or ".part" at their end. */
    private static List<Path> leftovers(Path dir) throws Exception {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.getFileName().toString().contains(".caravan-")
                            || f.toString().endsWith(".part"))
                    .toList();
        }
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
