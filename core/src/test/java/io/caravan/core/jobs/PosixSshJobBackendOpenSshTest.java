package io.caravan.core.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import io.caravan.core.ssh.HostKeyPolicy;
import io.caravan.core.ssh.SshSettings;
import io.caravan.core.ssh.SshTarget;
import io.caravan.core.ssh.SshTransport;
import io.caravan.spi.CleanupResult;
import io.caravan.spi.JobSpec;
import io.caravan.spi.JobStatus;
import io.caravan.spi.JobStatus.JobState;
import io.caravan.spi.LogChunk;
import io.caravan.spi.LogRange;
import io.caravan.spi.Submitted;
import io.caravan.testkit.OpenSshExtension;
import io.caravan.testkit.OpenSshServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The job protocol (SPEC §4) on a real OpenSSH host. */
class PosixSshJobBackendOpenSshTest {
    @RegisterExtension
    static final OpenSshExtension SSHD = OpenSshExtension.defaults();

    private SshTransport transport;
    private SshTarget target;
    private PosixSshJobBackend backend;
    private Path base;

    @BeforeEach
    void open() throws Exception {
        OpenSshServer server = SSHD.server();
        base = Files.createDirectories(server.workDir().resolve("jobs-" + System.nanoTime()));
        transport = SshTransport.start(SshSettings.defaults());
        target = SshTarget.of(server.user(), server.host(), server.port())
                .withIdentity(server.clientKey(), null)
                .withKnownHosts(server.knownHosts(), HostKeyPolicy.STRICT);
        backend = new PosixSshJobBackend(transport, target, base.toString(), Duration.ofSeconds(60));
    }

    @AfterEach
    void close() {
        transport.close();
    }

    @Test
    void twoHundredJobsRunDetachedAndArePolledWithOneCommandPerRound() throws Exception {
        List<JobSpec> jobs = IntStream.range(0, 200)
                .mapToObj(i -> new JobSpec(
                        "job-" + i,
                        "echo \"$ITEM\"; exit $((ITEM % 7 == 0))",
                        Map.of("ITEM", String.valueOf(i)),
                        "test-engine run-1"))
                .toList();
        List<String> ids = jobs.stream().map(JobSpec::id).toList();

        backend.submit(jobs);
        long channelsBefore = transport.stats(target.hostAndPort()).channelsOpened();
        int rounds = 0;
        List<JobStatus> statuses;
        do {
            Thread.sleep(200);
            statuses = backend.poll(ids);
            rounds++;
        } while (statuses.stream().anyMatch(s -> s.state() == JobState.RUNNING) && rounds < 100);
        long pollChannels = transport.stats(target.hostAndPort()).channelsOpened() - channelsBefore;

        assertThat(pollChannels)
                .as("exec channels for %d poll rounds of 200 jobs", rounds)
                .isEqualTo(rounds);
        Map<String, JobStatus> byId = statuses.stream().collect(Collectors.toMap(JobStatus::id, s -> s));
        for (int i = 0; i < 200; i++) {
            JobStatus s = byId.get("job-" + i);
            assertThat(s.state()).isEqualTo(JobState.EXITED);
            assertThat(s.exitCode()).isEqualTo(i % 7 == 0 ? 1 : 0);
            assertThat(s.logSize()).isEqualTo(String.valueOf(i).length() + 1);
        }
        List<LogRange> ranges = statuses.stream()
                .map(st -> LogRange.next(st.id(), 0, st.logSize(), 1024))
                .toList();
        for (LogChunk chunk : backend.readLogs(ranges)) {
            assertThat(new String(chunk.bytes(), StandardCharsets.UTF_8))
                    .isEqualTo(chunk.id().substring(4) + "\n");
        }
        assertThat(Files.readString(base.resolve("job-3/owner"))).isEqualTo("test-engine run-1\n");
        try (var files = Files.list(base.resolve("job-3"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .as("five files a job; its environment (ITEM reached the script, above) is never on the disk")
                    .containsExactlyInAnyOrder("script", "owner", "pgid", "log", "exit");
        }

        List<CleanupResult> cleaned = backend.cleanup(ids);
        assertThat(cleaned).allMatch(CleanupResult::removed).hasSize(200);
        try (var left = Files.list(base)) {
            assertThat(left.filter(p -> !p.getFileName().toString().startsWith(".")))
                    .isEmpty();
        }
    }

    @Test
    void aRepeatedSubmitAdoptsTheJobInsteadOfStartingItTwice() throws Exception {
        Path starts = base.resolve("starts.log");
        JobSpec job = new JobSpec("adopt-me", "echo started >> " + starts + "; sleep 1", Map.of(), "t");

        Submitted first = backend.submitJobs(List.of(job));
        Submitted again = backend.submitJobs(List.of(job));
        awaitState("adopt-me", JobState.EXITED);
        Submitted ended = backend.submitJobs(List.of(job));

        assertThat(Files.readAllLines(starts)).containsExactly("started");
        assertThat(first.started()).containsExactly("adopt-me");
        assertThat(again.adopted()).as("found running").containsExactly("adopt-me");
        assertThat(ended.adopted()).as("found ended").containsExactly("adopt-me");
        assertThat(again.started()).isEmpty();
    }

    @Test
    void cancelKillsTheWholeProcessGroupAndTheJobIsNotReportedRunning() throws Exception {
        String marker = "61." + (System.nanoTime() % 100000);
        backend.submit(
                List.of(new JobSpec("tree", "sleep " + marker + " & sleep " + marker + "; echo never", Map.of(), "t")));
        awaitState("tree", JobState.RUNNING);
        assertThat(pgrep(marker)).isNotBlank();

        backend.cancel(List.of("tree"), false);

        awaitState("tree", JobState.LOST);
        assertThat(pgrep(marker)).as("processes of the cancelled job").isBlank();
        assertThat(backend.cleanup(List.of("tree")).get(0).removed()).isTrue();
    }

    @Test
    void aRunningJobsDirectoryIsNeverRemoved() throws Exception {
        backend.submit(List.of(new JobSpec("busy", "sleep 30", Map.of(), "t")));
        awaitState("busy", JobState.RUNNING);

        CleanupResult result = backend.cleanup(List.of("busy")).get(0);

        assertThat(result.removed()).isFalse();
        assertThat(result.reason()).isEqualTo("running");
        assertThat(base.resolve("busy/script")).exists();
        backend.cancel(List.of("busy"), true);
    }

    @Test
    void aMegabyteOfMultiByteLogArrivesByteIdenticalInChunks() throws Exception {
        backend.submit(List.of(new JobSpec(
                "utf8", "i=0; while [ $i -lt 20000 ]; do echo \"ünïcødé ✓ 日本語 $i\"; i=$((i+1)); done", Map.of(), "t")));
        awaitState("utf8", JobState.EXITED);
        long size = backend.poll(List.of("utf8")).get(0).logSize();
        List<byte[]> parts = new ArrayList<>();
        for (long offset = 0; offset < size; ) {
            LogChunk chunk = backend.readLogs(List.of(LogRange.next("utf8", offset, size, 65_536)))
                    .get(0);
            assertThat(chunk.offset()).isEqualTo(offset);
            parts.add(chunk.bytes());
            offset += chunk.bytes().length;
        }
        assertThat(parts).hasSizeGreaterThan(5);
        byte[] expected = Files.readAllBytes(base.resolve("utf8/log"));
        assertThat(expected.length).isGreaterThan(500_000);
        assertThat(concat(parts)).isEqualTo(expected);
    }

    @Test
    void theJobsOutputsJsonIsReadBackAndAMissingJobIsSaidSo() throws Exception {
        backend.submit(List.of(new JobSpec("out", "printf '{\"rows\": %d}' 42 > \"$CARAVAN_OUTPUTS\"", Map.of(), "t")));
        awaitState("out", JobState.EXITED);

        assertThat(backend.outputs(List.of("out", "nope"))).containsExactly(Map.entry("out", "{\"rows\": 42}"));
        assertThat(backend.poll(List.of("nope")).get(0).state()).isEqualTo(JobState.MISSING);
    }

    @Test
    void aLogReadRacingTheJobsFirstWriteGetsWhatIsThereAndTheOtherLogsOfTheCommandStillArrive() throws Exception {
        // fault 5: "early" has no log yet (or a shorter one than asked for); "late" is read in the same command
        backend.submit(List.of(new JobSpec("late", "printf 'abcdef'", Map.of(), "t")));
        awaitState("late", JobState.EXITED);
        Files.createDirectories(base.resolve("early"));

        List<LogChunk> chunks = backend.readLogs(List.of(new LogRange("early", 0, 100), new LogRange("late", 2, 10)));

        System.out.printf(
                "fault 5: a read of 100 bytes of a log not yet written gave %d bytes; the next gave '%s'%n",
                chunks.get(0).bytes().length, new String(chunks.get(1).bytes(), StandardCharsets.UTF_8));
        assertThat(chunks.get(0).bytes()).isEmpty();
        assertThat(new String(chunks.get(1).bytes(), StandardCharsets.UTF_8)).isEqualTo("cdef");
    }

    @Test
    void aDeletedBaseDirectoryMakesItsJobsMissingAtTheNextPoll() throws Exception {
        // fault 6: not "running" until the timeout
        backend.submit(List.of(
                new JobSpec("gone-1", "sleep 30", Map.of(), "t"), new JobSpec("gone-2", "sleep 30", Map.of(), "t")));
        awaitState("gone-1", JobState.RUNNING);
        backend.cancel(List.of("gone-1", "gone-2"), true);
        run("rm", "-rf", base.toString());

        List<JobStatus> statuses = backend.poll(List.of("gone-1", "gone-2"));

        System.out.printf("fault 6: after the base directory was deleted one poll says %s%n", statuses);
        assertThat(statuses).extracting(JobStatus::state).containsExactly(JobState.MISSING, JobState.MISSING);
    }

    @Test
    void sixHundredJobsArePolledWithOneCommand() throws Exception {
        // fault 7: more than 500 jobs, one status command
        List<String> ids = IntStream.range(0, 600).mapToObj(i -> "many-" + i).toList();
        backend.submit(
                ids.stream().map(id -> new JobSpec(id, "true", Map.of(), "t")).toList());
        long before = transport.stats(target.hostAndPort()).channelsOpened();

        List<JobStatus> statuses = backend.poll(ids);

        long channels = transport.stats(target.hostAndPort()).channelsOpened() - before;
        System.out.printf("fault 7: %d jobs polled with %d exec channel(s)%n", statuses.size(), channels);
        assertThat(statuses).hasSize(600);
        assertThat(channels).isEqualTo(1);
    }

    @Test
    void aDirectoryThatCannotBeRemovedSaysWhatRmSaid() throws Exception {
        // fault 8: the debt's reason carries rm's own error
        backend.submit(List.of(new JobSpec("pinned", "touch pin", Map.of(), "t")));
        awaitState("pinned", JobState.EXITED);
        Path pin = Files.list(base.resolve("pinned"))
                .filter(f -> f.getFileName().toString().equals("pin"))
                .findFirst()
                .orElse(base.resolve("pinned/script"));
        run("chattr", "+i", pin.toString());
        try {
            CleanupResult result = backend.cleanup(List.of("pinned")).get(0);

            System.out.printf("fault 8: cleanup reason '%s'%n", result.reason());
            assertThat(result.removed()).isFalse();
            assertThat(result.reason())
                    .startsWith("undeletable: ")
                    .containsIgnoringCase("rm: ")
                    .contains("not permitted");
        } finally {
            run("chattr", "-i", pin.toString());
        }
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(String.join(" ", command) + ": " + out).isZero();
    }

    private void awaitState(String id, JobState state) throws InterruptedException {
        for (int i = 0; i < 150; i++) {
            if (backend.poll(List.of(id)).get(0).state() == state) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(id + " never reached " + state + ": " + backend.poll(List.of(id)));
    }

    private String pgrep(String marker) {
        return transport
                .exec(target, "pgrep -f '[s]leep " + marker + "' || true")
                .stdout()
                .strip();
    }

    private static byte[] concat(List<byte[]> parts) {
        int n = parts.stream().mapToInt(p -> p.length).sum();
        byte[] all = new byte[n];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, all, at, p.length);
            at += p.length;
        }
        return all;
    }
}
