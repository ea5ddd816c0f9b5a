package io.caravan.app.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.caravan.app.fixtures.CaravanRuns;
import io.caravan.app.fixtures.EngineProcess;
import io.caravan.core.runs.TaskState;
import io.caravan.testkit.OpenSshExtension;
import io.caravan.testkit.OpenSshServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 18, GPU-aware placement on plain SSH hosts (acceptance 1 and 2), on a real sshd: each job notes its start
 * and end with the GPU indices it was given ({@code $CUDA_VISIBLE_DEVICES}); replaying the notes in the order they
 * were written shows which indices were held at once.
 */
class GpuPlacementOpenSshTest {
    @RegisterExtension
    static final OpenSshExtension SSHD = OpenSshExtension.defaults();
    /** A host whose login shell finds a fake nvidia-smi reporting two H100s. */
    @RegisterExtension
    static final OpenSshExtension SMI = OpenSshExtension.with(
            b -> b.extraConfig("SetEnv PATH=" + fakeNvidiaSmi() + ":/usr/local/bin:/usr/bin:/bin"));

    @TempDir
    Path home;

    private Path events;
    private Path base;
    private EngineProcess engine;

    @BeforeEach
    void home() throws Exception {
        System.setProperty("caravan.home", home.toString());
        events = home.resolve("events.log");
        base = Files.createDirectories(home.resolve("jobs"));
    }

    @AfterEach
    void clear() throws Exception {
        if (engine != null) {
            engine.close();
        }
        System.clearProperty("caravan.home");
    }

    /** "+ TASK ITEM GPUS" when the job starts, "- TASK ITEM GPUS" when it ends; GPUS as CUDA_VISIBLE_DEVICES says. */
    private String script(String task, String sleep) {
        String wait = sleep.equals("go")
                ? "n=0; while [ ! -f %s ] && [ $n -lt 600 ]; do sleep 0.1; n=$((n+1)); done".formatted(go())
                : "sleep " + sleep;
        return ("echo \"+ %1$s $ITEM $CUDA_VISIBLE_DEVICES $CARAVAN_GPUS $(date +%%s%%N)\" >> %2$s; %3$s;"
                        + " echo \"- %1$s $ITEM $CUDA_VISIBLE_DEVICES $CARAVAN_GPUS $(date +%%s%%N)\" >> %2$s")
                .formatted(task, events, wait);
    }

    /** The file whose existence ends the jobs that wait for it ("go" as their sleep), at most 60 s after they start. */
    private Path go() {
        return home.resolve("go");
    }

    private String task(String name, int jobs, String gpus, String sleep, String extra) {
        return """
                  %s:
                    target: rigs
                    expand: { range: %d }
                    max_active: %d
                    resources: { gpus: %s }%s
                    remote_job:
                      script: '%s'
                      workdir_base: %s
                      poll_interval: 200ms
                """.formatted(name, jobs, jobs, gpus, extra, script(name, sleep), base);
    }

    private static String pool(String capacity) {
        return """
                pools:
                  rigs:
                    slots: 16
                    hosts:
                      - { connection: rig, %s }
                """.formatted(capacity);
    }

    @Test
    void twelveOneGpuJobsAndSixPairsOnAFourGpuHostNeverShareAnIndex() throws Exception {
        CaravanRuns.Result r = new CaravanRuns(home)
                .run(
                        "gpus",
                        "workflow: gpus\nconnections:\n"
                                + CaravanRuns.connection("rig", SSHD.server()) + "\n" + pool("gpus: 4") + "tasks:\n"
                                + task("single", 12, "1", "1", "") + task("pair", 6, "2", "1", ""));

        assertThat(r.exit()).as(r.out()).isZero();
        Replay replay = replay();
        assertThat(replay.starts).as("every job started once").hasSize(18);
        assertThat(replay.peak).as("GPUs held at once").isBetween(2, 4);
        assertThat(replay.indices).containsOnly(0, 1, 2, 3);
        replay.starts.forEach((job, gpus) ->
                assertThat(gpus).as(job).hasSize(job.startsWith("pair") ? 2 : 1).doesNotHaveDuplicates());
        assertThat(lines())
                .allSatisfy(l -> assertThat(l.split(" ")[3]).as("CARAVAN_GPUS").isEqualTo(l.split(" ")[4]));
    }

    /**
     * Acceptance 2: the engine is killed while two tasks of one run hold all four GPUs, with a third task's jobs
     * waiting for them; the resumed run adopts the four jobs with their indices and gives none of them to a new job
     * until its job has ended.
     */
    @Test
    void aResumedRunKeepsItsAdoptedJobsGpusAndHandsThemToNoOtherJobMeanwhile() throws Exception {
        OpenSshServer server = SSHD.server();
        CaravanRuns.Result added = CaravanRuns.addSshPool(
                "rigs", server, "--slots", "16", "--gpus", "4", "--gpu-type", "h100", "--cpus", "8", "--mem", "16G");
        assertThat(added.exit()).as(added.out()).isZero();
        assertThat(added.out()).contains("with 16 slots, gpus 4 (h100), cpus 8, mem 16G");
        Path workflow = Files.writeString(
                home.resolve("resume.yaml"),
                """
                workflow: gpu-resume
                tasks:
                  warmup:
                    shell: sleep 2
                """
                        + task(
                                "short",
                                4,
                                "1",
                                "1",
                                "\n    depends_on: [warmup]") // first: resumed, it asks before the adoptions
                        + task("long_a", 2, "1", "go", "") + task("long_b", 2, "1", "go", ""));
        engine = EngineProcess.start(home, "run", workflow.toString());
        String runId = engine.runId();
        EngineProcess.awaitLines(events, 4);
        Thread.sleep(3_000); // warmup done: the short jobs wait for GPUs
        engine.kill();
        List<String> beforeKill = lines();
        String ps = CaravanRuns.cli("pool", "ps").out();
        assertThat(ps).as(ps).contains("4/4 busy h100").contains("0/8").contains("0/16G");
        for (int gpu = 0; gpu < 4; gpu++) {
            assertThat(ps).as(ps).containsPattern("GPU " + gpu + ": " + runId + "/long_[ab]\\[[01]]");
        }

        // the long jobs run on until the short ones started (they must not, yet) or 20 s have passed
        CompletableFuture<CaravanRuns.Result> resuming =
                CompletableFuture.supplyAsync(() -> CaravanRuns.cli("run", "--resume", runId));
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline && lines().stream().noneMatch(l -> l.startsWith("+ short"))) {
            Thread.sleep(100);
        }
        Files.writeString(go(), "");
        CaravanRuns.Result resumed = resuming.get(120, TimeUnit.SECONDS);

        System.out.println("acceptance 2: events\n" + String.join("\n", lines()) + "\nresumed: " + resumed.out());
        assertThat(resumed.exit()).as(resumed.out()).isZero();
        assertThat(beforeKill)
                .as("the long jobs hold the four GPUs, no short one started")
                .hasSize(4)
                .allMatch(l -> l.startsWith("+ long_"));
        Replay replay = replay();
        assertThat(replay.starts)
                .as("each job started once: the long ones were adopted")
                .hasSize(8);
        assertThat(replay.indices).containsOnly(0, 1, 2, 3);
        assertThat(new CaravanRuns(home).instances(runId)).allMatch(i -> i.state() == TaskState.SUCCEEDED);
    }

    @Test
    void gpusAutoReadsTheHostsGpusWithNvidiaSmiAndAHostWithoutItFailsNamingIt() throws Exception {
        CaravanRuns.Result r = new CaravanRuns(home)
                .run(
                        "auto",
                        "workflow: auto\nconnections:\n"
                                + CaravanRuns.connection("rig", SMI.server()) + "\n" + pool("gpus: auto") + "tasks:\n"
                                + task("h100", 4, "{ count: 1, type: h100 }", "1", ""));

        assertThat(r.exit()).as(r.out()).isZero();
        Replay replay = replay();
        assertThat(replay.starts).hasSize(4);
        assertThat(replay.indices).containsOnly(0, 1);
        assertThat(replay.peak).isLessThanOrEqualTo(2);

        CaravanRuns.Result absent = new CaravanRuns(home)
                .run(
                        "absent",
                        "workflow: absent\nconnections:\n"
                                + CaravanRuns.connection("rig", SSHD.server()) + "\n" + pool("gpus: auto") + "tasks:\n"
                                + task("any", 1, "1", "1", ""));
        assertThat(absent.exit()).isNotZero();
        String error = new CaravanRuns(home).instance(absent.runId(), "any", 0).error();
        assertThat(error)
                .contains("declares gpus: auto")
                .contains("host " + SSHD.server().host() + ":" + SSHD.server().port())
                .contains("nvidia-smi not found");
    }

    @Test
    void aRequestLargerThanAnyHostFailsAtOnceSayingWhatTheHostsHave() throws Exception {
        CaravanRuns.Result r = new CaravanRuns(home)
                .run(
                        "huge",
                        "workflow: huge\nconnections:\n"
                                + CaravanRuns.connection("rig", SSHD.server()) + "\n" + pool("gpus: 4") + "tasks:\n"
                                + task("huge", 1, "8", "1", "\n    retries: 3"));

        assertThat(r.exit()).isNotZero();
        var instance = new CaravanRuns(home).instance(r.runId(), "huge", 0);
        assertThat(instance.attempt()).as("not retried: a retry asks the same").isEqualTo(1);
        assertThat(instance.error())
                .contains("no host of pool 'rigs' can ever run a job asking for 8 GPUs")
                .contains("gpus 4");
    }

    /** Who held which index when: each start takes its indices, none of them may be held already. */
    private record Replay(Map<String, List<Integer>> starts, Set<Integer> indices, int peak) {}

    private Replay replay() throws Exception {
        Map<Integer, String> held = new HashMap<>();
        Map<String, List<Integer>> starts = new HashMap<>();
        Set<Integer> seen = new TreeSet<>();
        int peak = 0;
        for (String line : lines()) {
            String[] f = line.split(" ");
            String job = f[1] + "[" + f[2] + "]";
            List<Integer> gpus =
                    Arrays.stream(f[3].split(",")).map(Integer::valueOf).toList();
            for (int g : gpus) {
                if (f[0].equals("+")) {
                    assertThat(held)
                            .as("GPU %d given to %s while %s holds it", g, job, held.get(g))
                            .doesNotContainKey(g);
                    held.put(g, job);
                } else {
                    assertThat(held).as("%s ends holding GPU %d", job, g).containsEntry(g, job);
                    held.remove(g);
                }
            }
            if (f[0].equals("+")) {
                assertThat(starts.put(job, gpus)).as(job + " started twice").isNull();
            }
            seen.addAll(gpus);
            peak = Math.max(peak, held.size());
        }
        assertThat(held).as("every job ended").isEmpty();
        return new Replay(starts, seen, peak);
    }

    private List<String> lines() throws Exception {
        return Files.exists(events)
                ? Files.readAllLines(events).stream().filter(l -> !l.isBlank()).collect(Collectors.toList())
                : new ArrayList<>();
    }

    private static Path fakeNvidiaSmi() {
        try {
            Path dir = Files.createTempDirectory("fake-nvidia-smi");
            Path smi = dir.resolve("nvidia-smi");
            Files.writeString(smi, """
                    #!/bin/sh
                    [ "$*" = "--query-gpu=index,name,memory.total --format=csv,noheader" ] || exit 2
                    echo "0, NVIDIA H100 80GB HBM3, 81559 MiB"
                    echo "1, NVIDIA H100 80GB HBM3, 81559 MiB"
                    """);
            Files.setPosixFilePermissions(smi, PosixFilePermissions.fromString("rwxr-xr-x"));
            dir.toFile().deleteOnExit();
            smi.toFile().deleteOnExit();
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
