package io.caravan.app.bench.scale;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.caravan.app.bench.LatencyStats;
import io.caravan.app.bench.LoopbackHosts;
import io.caravan.app.session.DatabaseOptions;
import io.caravan.app.session.EngineSession;
import io.caravan.core.engine.RunListener;
import io.caravan.core.jobs.SupervisorStats;
import io.caravan.core.runs.TaskState;
import io.caravan.core.storage.Run;
import io.caravan.core.workflow.WorkflowDefinition;

/**
 * M remote jobs over N sshd instances through the whole engine: a workflow whose one task fans out M
 * {@code remote_job} items over a pool of the N hosts ({@code M/N} slots each), so that all M are active at once.
 * Each job waits on the rig's release FIFO; once all are active, a window of poll rounds is measured, then the
 * jobs are released, end with 0 and the run completes as usual (outcomes recorded, directories removed).
 */
public final class ScaleBench {
    /** Gives up waiting for all jobs to be active when none was started for this long. */
    private static final Duration STALL = Duration.ofMinutes(3);

    private static final Duration REPORT_EVERY = Duration.ofSeconds(2);

    private final int hostCount;
    private final int jobs;
    private final int windowRounds;
    private final Duration pollInterval;
    private final PrintWriter err;
    private long lastReport = System.nanoTime() - REPORT_EVERY.toNanos();

    public ScaleBench(int hostCount, int jobs, int windowRounds, Duration pollInterval, PrintWriter err) {
        this.hostCount = hostCount;
        this.jobs = jobs;
        this.windowRounds = windowRounds;
        this.pollInterval = pollInterval;
        this.err = err;
    }

    public ScaleResult run(Path dir) throws Exception {
        progress("starting %d sshd instance(s) under %s", hostCount, dir);
        try (ScaleRig rig = new ScaleRig(dir, hostCount)) {
            ScaleResult result = run(rig);
            long dirs = rig.dirsLeft();
            long procs = ScaleRig.processesUnder(rig.jobs()).size();
            progress("left behind by the engine: %d job directories, %d job processes", dirs, procs);
            return result.withLeft(dirs + procs);
        }
    }

    private ScaleResult run(ScaleRig rig) throws Exception {
        PollRounds pollRounds = new PollRounds();
        try (EngineSession session = new EngineSession(rig.home(), new DatabaseOptions())) {
            session.camel().addRoutePolicyFactory(pollRounds);
            session.startCamel();
            String yaml = workflow(rig);
            WorkflowDefinition workflow = session.loader().parse(rig.home().resolve("scale.yaml"), yaml, Map.of());
            Run run = session.engine().create(workflow, "bench", yaml);
            long start = System.nanoTime();
            CompletableFuture<Void> done = new CompletableFuture<>();
            Thread runner = new Thread(
                    () -> {
                        try {
                            session.engine().run(run, workflow, new RunListener() {});
                            done.complete(null);
                        } catch (Throwable e) {
                            done.completeExceptionally(e);
                        }
                    },
                    "caravan-bench-scale-run");
            runner.setDaemon(true);
            runner.start();
            boolean allActive = awaitAllActive(session, done, start);
            Window window = allActive ? measure(session, rig, pollRounds) : Window.NONE;
            progress("releasing the jobs");
            while (!done.isDone()) {
                rig.releaseJobs(); // again and again: a job that opens the FIFO after a release waits for the next
                try {
                    done.get(250, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    report(session, "ending", start);
                }
            }
            done.get();
            session.settleCleanups(run.id());
            Map<TaskState, Long> counts = session.store().countsByTask(run.id()).getOrDefault("job", Map.of());
            long failed = jobs - counts.getOrDefault(TaskState.SUCCEEDED, 0L);
            progress("run %s ended in %d ms: %s", run.id(), (System.nanoTime() - start) / 1_000_000, counts);
            return new ScaleResult(
                    HeapPeak.peakBytes(), window.roundP50Ms, window.commandsPerRound, failed, allActive, 0);
        }
    }

    private String workflow(ScaleRig rig) {
        int slots = (jobs + hostCount - 1) / hostCount;
        // true, a builtin, in the job's subshell: blocked in the FIFO's open, two processes per job (as exec sleep)
        return """
                workflow: scale
                connections:
                %s
                pools:
                  rig: { hosts: [%s], slots: %d }
                tasks:
                  job:
                    target: rig
                    expand: { range: %d }
                    max_active: %d
                    remote_job:
                      script: "true < %s"
                      cleanup: on_success
                      workdir_base: %s
                      poll_interval: %dms
                """.formatted(
                        LoopbackHosts.connections(rig.hosts),
                        LoopbackHosts.names(rig.hosts),
                        slots,
                        jobs,
                        jobs,
                        rig.release(),
                        rig.jobs(),
                        pollInterval.toMillis());
    }

    /** Waits until every job is active on its host; false if the run ended first or stopped starting jobs. */
    private boolean awaitAllActive(EngineSession session, CompletableFuture<Void> done, long start)
            throws InterruptedException {
        long lastSubmitted = -1;
        long lastProgress = System.nanoTime();
        while (!done.isDone()) {
            Totals t = report(session, "starting", start);
            if (t.active >= jobs) {
                progress("all %d jobs active after %d ms", jobs, (System.nanoTime() - start) / 1_000_000);
                return true;
            }
            if (t.submitted != lastSubmitted) {
                lastSubmitted = t.submitted;
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > STALL.toNanos()) {
                progress("no job started for %s: measuring no window", STALL);
                return false;
            }
            Thread.sleep(500);
        }
        return false;
    }

    /**
     * Poll rounds with every job active: their time on the first host, and the commands every host was sent
     * per round (counted by the SSH transport: whatever the supervisor sends, not only its status commands).
     */
    private Window measure(EngineSession session, ScaleRig rig, PollRounds pollRounds) throws InterruptedException {
        String first = rig.hosts.get(0).host() + ":" + rig.hosts.get(0).port();
        Snapshot start = pollRounds.betweenRounds(() -> {
            pollRounds.startWindow();
            return new Snapshot(rounds(session), channels(session, rig));
        });
        long deadline = System.nanoTime()
                + pollInterval.multipliedBy(windowRounds * 10L).plusMinutes(2).toNanos();
        while (pollRounds.count(first) < windowRounds && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        Snapshot end = pollRounds.betweenRounds(() -> new Snapshot(rounds(session), channels(session, rig)));
        long channels = end.channels - start.channels;
        long roundCount = end.rounds.entrySet().stream()
                .mapToLong(e -> e.getValue() - start.rounds.getOrDefault(e.getKey(), 0L))
                .sum();
        long[] nanos = pollRounds.nanos(first);
        double p50 = nanos.length == 0 ? Double.NaN : LatencyStats.of(nanos).p50();
        Totals t = totals(session);
        progress(
                "window: %d rounds on %s with %d active jobs there, p50 %.1f ms, max %.1f ms; %d rounds and %d commands on all hosts",
                nanos.length,
                first,
                activeOn(session, first),
                p50,
                nanos.length == 0 ? Double.NaN : LatencyStats.of(nanos).max(),
                roundCount,
                channels);
        return new Window(p50, roundCount == 0 ? Double.NaN : (double) channels / roundCount, t.active);
    }

    private static Map<String, Long> rounds(EngineSession session) {
        Map<String, Long> r = new HashMap<>();
        session.jobStats().forEach((place, s) -> r.put(place.label(), s.rounds()));
        return r;
    }

    private static long channels(EngineSession session, ScaleRig rig) {
        return rig.hosts.stream()
                .mapToLong(h ->
                        session.transport().stats(h.host() + ":" + h.port()).channelsOpened())
                .sum();
    }

    private static int activeOn(EngineSession session, String host) {
        return session.jobStats().entrySet().stream()
                .filter(e -> e.getKey().label().equals(host))
                .mapToInt(e -> e.getValue().active())
                .sum();
    }

    private Totals report(EngineSession session, String phase, long start) {
        Totals t = totals(session);
        long now = System.nanoTime();
        if (now - lastReport < REPORT_EVERY.toNanos()) {
            return t;
        }
        lastReport = now;
        progress(
                "%s: %d s, %d submitted, %d active, %d ended; heap %d MB used, %d MB after the last collections,"
                        + " %d MB peak",
                phase,
                (System.nanoTime() - start) / 1_000_000_000L,
                t.submitted,
                t.active,
                t.ended,
                HeapPeak.usedBytes() >> 20,
                HeapPeak.liveBytes() >> 20,
                HeapPeak.peakBytes() >> 20);
        return t;
    }

    private static Totals totals(EngineSession session) {
        long submitted = 0;
        long ended = 0;
        int active = 0;
        for (SupervisorStats s : session.jobStats().values()) {
            submitted += s.jobsSubmitted();
            ended += s.jobsEnded();
            active += s.active();
        }
        return new Totals(submitted, active, ended);
    }

    private void progress(String format, Object... args) {
        err.println("bench scale: " + String.format(Locale.ROOT, format, args));
        err.flush();
    }

    private record Snapshot(Map<String, Long> rounds, long channels) {}

    private record Totals(long submitted, int active, long ended) {}

    private record Window(double roundP50Ms, double commandsPerRound, int active) {
        static final Window NONE = new Window(Double.NaN, Double.NaN, 0);
    }
}
