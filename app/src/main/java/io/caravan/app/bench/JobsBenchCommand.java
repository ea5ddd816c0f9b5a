package io.caravan.app.bench;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import io.caravan.core.jobs.CleanupPolicy;
import io.caravan.core.jobs.JobOutcome;
import io.caravan.core.jobs.JobRequest;
import io.caravan.core.jobs.JobSupervisor;
import io.caravan.core.jobs.LogSink;
import io.caravan.core.jobs.PosixSshJobBackend;
import io.caravan.core.jobs.SupervisorSettings;
import io.caravan.core.jobs.SupervisorStats;
import io.caravan.core.ssh.HostKeyPolicy;
import io.caravan.core.ssh.HostStats;
import io.caravan.core.ssh.SshSettings;
import io.caravan.core.ssh.SshTarget;
import io.caravan.core.ssh.SshTransport;
import io.caravan.spi.CleanupResult;
import io.caravan.spi.JobSpec;
import io.caravan.spi.JobStatus;
import io.caravan.spi.LogRange;
import io.caravan.testkit.OpenSshServer;
import io.caravan.testkit.SshdLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The job protocol alone against a real sshd with default limits: N trivial jobs submitted, polled to
 * completion, their logs read and their directories removed; and the cost of one poll round while N
 * jobs are running; and how soon after its end a job's outcome is known.
 */
@Command(
        name = "jobs",
        mixinStandardHelpOptions = true,
        description = "Detached jobs over one pooled connection: full cycle and poll cost per round.")
public final class JobsBenchCommand implements Callable<Integer> {
    @Option(names = "--jobs", defaultValue = "1000", description = "Jobs (default ${DEFAULT-VALUE}).")
    int jobs;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        try (OpenSshServer sshd = OpenSshServer.builder().start();
                SshTransport transport = SshTransport.start(SshSettings.defaults())) {
            SshTarget target = SshTarget.of(sshd.user(), sshd.host(), sshd.port())
                    .withIdentity(sshd.clientKey(), null)
                    .withKnownHosts(sshd.knownHosts(), HostKeyPolicy.STRICT);
            PosixSshJobBackend backend = new PosixSshJobBackend(
                    transport, target, sshd.workDir().resolve("jobs").toString(), Duration.ofMinutes(2));
            SshdLog log = sshd.log().since(sshd.log().mark());
            out.println("machine: " + Machine.describe() + "; sshd " + sshd.version() + ", default limits");

            long[] pollNanos = pollCost(backend, ids("running-", jobs), "sleep 30");
            out.printf(
                    Locale.ROOT,
                    "poll round at %d running jobs: median %.1f ms over %d rounds, %d exec channel(s) per round%n",
                    jobs,
                    LatencyStats.of(pollNanos).p50(),
                    pollNanos.length,
                    (jobs + 499) / 500);
            backend.cancel(ids("running-", jobs), true);

            long start = System.nanoTime();
            long channels0 = transport.stats(target.hostAndPort()).channelsOpened();
            List<String> ids = ids("trivial-", jobs);
            backend.submit(specs(ids, "echo \"$ITEM\"; exit $((ITEM % 7 == 0))"));
            long submitted = System.nanoTime();
            int rounds = 0;
            List<JobStatus> statuses;
            do {
                Thread.sleep(100);
                statuses = backend.poll(ids);
                rounds++;
            } while (statuses.stream().anyMatch(s -> s.state() == JobStatus.JobState.RUNNING) && rounds < 600);
            long done = System.nanoTime();
            long logBytes = backend
                    .readLogs(statuses.stream()
                            .map(st -> LogRange.next(st.id(), 0, st.logSize(), 1 << 16))
                            .toList())
                    .stream()
                    .mapToLong(c -> c.bytes().length)
                    .sum();
            long logsRead = System.nanoTime();
            long removed =
                    backend.cleanup(ids).stream().filter(CleanupResult::removed).count();
            long end = System.nanoTime();
            long wall = (end - start) / 1_000_000;
            out.printf(
                    Locale.ROOT,
                    "phases: submit %d ms, until done %d ms, logs %d ms, cleanup %d ms%n",
                    (submitted - start) / 1_000_000,
                    (done - submitted) / 1_000_000,
                    (logsRead - done) / 1_000_000,
                    (end - logsRead) / 1_000_000);
            HostStats stats = transport.stats(target.hostAndPort());
            long failedExit = statuses.stream()
                    .filter(s -> s.exitCode() != null && s.exitCode() != 0)
                    .count();
            out.printf(
                    Locale.ROOT,
                    "%d trivial jobs, submit -> done -> logs -> cleanup: %d ms; %d poll rounds; %d exec channels;"
                            + " %d exited non-zero (expected %d); %d log bytes; %d directories removed%n",
                    jobs,
                    wall,
                    rounds,
                    stats.channelsOpened() - channels0,
                    failedExit,
                    IntStream.range(0, jobs).filter(i -> i % 7 == 0).count(),
                    logBytes,
                    removed);
            boolean supervisedOk = supervised(
                    out, transport, target, sshd.workDir().resolve("supervised").toString());
            completionSeen(
                    out, transport, target, sshd.workDir().resolve("latency").toString());
            out.printf("sshd's log for the whole benchmark: %s%n", log.counts());
            return removed == jobs && supervisedOk ? 0 : 1;
        }
    }

    /** The same jobs through a {@link JobSupervisor}: what a remote_job fan-out does, minus the database. */
    private boolean supervised(PrintStream out, SshTransport transport, SshTarget target, String base)
            throws Exception {
        long channels0 = transport.stats(target.hostAndPort()).channelsOpened();
        long start = System.nanoTime();
        try (LifecycleCamel camel = new LifecycleCamel();
                JobSupervisor supervisor = new JobSupervisor(
                                new PosixSshJobBackend(transport, target, base, Duration.ofMinutes(2)),
                                target.hostAndPort(),
                                SupervisorSettings.defaults().withPollInterval(Duration.ofMillis(500)),
                                failed -> {},
                                Clock.systemUTC(),
                                camel.routes)
                        .start()) {
            List<CompletableFuture<JobOutcome>> outcomes = new ArrayList<>();
            for (JobSpec spec : specs(ids("supervised-", jobs), "echo \"$ITEM\"; exit $((ITEM % 7 == 0))")) {
                outcomes.add(supervisor.submit(new JobRequest(
                        spec,
                        Duration.ofMinutes(10),
                        Duration.ofSeconds(5),
                        null,
                        CleanupPolicy.ON_SUCCESS,
                        LogSink.DISCARD)));
            }
            CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
            long wall = (System.nanoTime() - start) / 1_000_000;
            SupervisorStats st = supervisor.stats();
            long succeeded = outcomes.stream().filter(f -> f.join().succeeded()).count();
            out.printf(
                    Locale.ROOT,
                    "supervised (what remote_job uses, poll interval 500 ms): %d jobs submit -> done -> cleanup %d ms;"
                            + " %d rounds, %d submit commands, %d poll commands, %d exec channels in all; %d succeeded%n",
                    jobs,
                    wall,
                    st.rounds(),
                    st.submitCommands(),
                    st.pollCommands(),
                    transport.stats(target.hostAndPort()).channelsOpened() - channels0,
                    succeeded);
            return succeeded
                    == jobs - IntStream.range(0, jobs).filter(i -> i % 7 == 0).count();
        }
    }

    /**
     * How long after a job's end its outcome is known: jobs that end at scattered moments print the time they
     * end (this machine's clock, which the host shares on loopback); the supervisor's outcome is timed against it.
     */
    private static void completionSeen(PrintStream out, SshTransport transport, SshTarget target, String base)
            throws Exception {
        Duration interval = Duration.ofMillis(500);
        int n = 20;
        try (LifecycleCamel camel = new LifecycleCamel();
                JobSupervisor supervisor = new JobSupervisor(
                                new PosixSshJobBackend(transport, target, base, Duration.ofMinutes(2)),
                                target.hostAndPort(),
                                SupervisorSettings.defaults().withPollInterval(interval),
                                failed -> {},
                                Clock.systemUTC(),
                                camel.routes)
                        .start()) {
            List<CompletableFuture<Long>> lags = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ByteArrayOutputStream log = new ByteArrayOutputStream();
                // ends 0.3 s to 4.0 s after the start, spread over the poll interval's phases
                JobSpec spec = new JobSpec(
                        "seen-" + i, "sleep " + (300 + i * 187 % 3700) / 1000.0 + "; date +%s%N", Map.of(), "bench");
                lags.add(supervisor
                        .submit(new JobRequest(
                                spec,
                                Duration.ofMinutes(1),
                                Duration.ofSeconds(5),
                                interval,
                                CleanupPolicy.ALWAYS,
                                log::writeBytes))
                        .thenApply(outcome -> {
                            Instant seen = Instant.now();
                            long ended = Long.parseLong(
                                    log.toString(StandardCharsets.UTF_8).strip());
                            return seen.getEpochSecond() * 1_000_000_000L + seen.getNano() - ended;
                        }));
            }
            long[] nanos = new long[n];
            for (int i = 0; i < n; i++) {
                nanos[i] = lags.get(i).get(1, TimeUnit.MINUTES);
            }
            LatencyStats stats = LatencyStats.of(nanos);
            out.printf(
                    Locale.ROOT,
                    "completion seen (poll interval %d ms): median %.0f ms, max %.0f ms after the job's end,"
                            + " over %d jobs ending at scattered moments (its log and outputs read by then)%n",
                    interval.toMillis(),
                    stats.p50(),
                    stats.max(),
                    n);
        }
    }

    private static long[] pollCost(PosixSshJobBackend backend, List<String> ids, String script)
            throws InterruptedException {
        backend.submit(specs(ids, script));
        Thread.sleep(1_000);
        long[] nanos = new long[10];
        for (int i = 0; i < nanos.length; i++) {
            long t = System.nanoTime();
            backend.poll(ids);
            nanos[i] = System.nanoTime() - t;
        }
        return nanos;
    }

    private static List<String> ids(String prefix, int n) {
        return IntStream.range(0, n).mapToObj(i -> prefix + i).toList();
    }

    private static List<JobSpec> specs(List<String> ids, String script) {
        List<JobSpec> specs = new ArrayList<>();
        for (int i = 0; i < ids.size(); i++) {
            specs.add(new JobSpec(ids.get(i), script, Map.of("ITEM", String.valueOf(i)), "bench"));
        }
        return specs;
    }
}
