package io.caravan.routes.remotejob;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;

import io.caravan.core.jobs.CleanupOutcomes;
import io.caravan.core.jobs.CleanupPolicy;
import io.caravan.core.jobs.JobOutcome;
import io.caravan.core.jobs.JobRequest;
import io.caravan.core.jobs.JobSupervisor;
import io.caravan.core.jobs.SupervisorSettings;
import io.caravan.core.jobs.SupervisorStats;
import io.caravan.core.ssh.Backoff;
import io.caravan.core.ssh.FailureKind;
import io.caravan.core.ssh.SshFailure;
import io.caravan.spi.CleanupResult;
import io.caravan.spi.JobSpec;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The supervisor's logic driven by the remote-job routes, on an in-memory backend. */
class JobSupervisorTest {
    private static CamelContext camel;
    private static RemoteJobRoutes routes;
    private final ScriptedBackend backend = new ScriptedBackend();
    private final SupervisorSettings settings = new SupervisorSettings(
            Duration.ofMillis(50),
            Duration.ofMillis(5),
            8,
            new Backoff(Duration.ofMillis(10), Duration.ofMillis(40), 3));
    private final List<String> reportedRemoved = new CopyOnWriteArrayList<>();
    private final JobSupervisor supervisor = new JobSupervisor(
                    backend,
                    "test-host",
                    settings,
                    new CleanupOutcomes() {
                        @Override
                        public void failed(List<CleanupResult> notRemoved) {}

                        @Override
                        public void removed(List<String> jobIds) {
                            reportedRemoved.addAll(jobIds);
                        }
                    },
                    Clock.systemUTC(),
                    routes)
            .start();

    /** One context for the class, its routes warmed up by one job: the figures below are the supervisor's, not Camel's start. */
    @BeforeAll
    static void startCamel() throws Exception {
        camel = new DefaultCamelContext();
        routes = new RemoteJobRoutes(new RemoteJobRoutes.Settings(
                Duration.ofMillis(5), 4, new Backoff(Duration.ofMillis(10), Duration.ofMillis(40), 3)));
        camel.addRoutes(routes);
        camel.start();
        ScriptedBackend warm = new ScriptedBackend();
        try (JobSupervisor s = new JobSupervisor(
                        warm, "warm-up", SupervisorSettings.defaults(), failed -> {}, Clock.systemUTC(), routes)
                .start()) {
            CompletableFuture<JobOutcome> done = s.submit(new JobRequest(
                    new JobSpec("w", "true", Map.of(), "test"),
                    null,
                    Duration.ofMillis(100),
                    Duration.ofMillis(20),
                    CleanupPolicy.ALWAYS,
                    bytes -> {}));
            warm.exits.put("w", 0);
            done.get(10, TimeUnit.SECONDS);
        }
    }

    @AfterAll
    static void stopCamel() throws Exception {
        camel.close();
    }

    @AfterEach
    void close() {
        supervisor.close();
    }

    private CompletableFuture<JobOutcome> submit(String id, Duration timeout, ByteArrayOutputStream log) {
        return supervisor.submit(new JobRequest(
                new JobSpec(id, "true", Map.of(), "test"),
                timeout,
                Duration.ofMillis(100),
                null,
                CleanupPolicy.ON_SUCCESS,
                log::writeBytes));
    }

    @Test
    void anIdleHostCostsNoRoundsAndARunningJobOnePollPerInterval() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        long began = System.nanoTime();
        CompletableFuture<JobOutcome> done = submit("a", null, log);
        Thread.sleep(500);
        backend.logOf("a").append("hello\n");
        backend.exits.put("a", 0);
        JobOutcome outcome = done.get(5, TimeUnit.SECONDS);
        long activeMillis = (System.nanoTime() - began) / 1_000_000;
        Thread.sleep(100);
        SupervisorStats ended = supervisor.stats();
        Thread.sleep(300);
        SupervisorStats idle = supervisor.stats();

        assertThat(outcome.succeeded()).isTrue();
        assertThat(log.toString(StandardCharsets.UTF_8)).isEqualTo("hello\n");
        // polled over and over while the job ran, at most once per 50 ms interval (counted over the time it was
        // really active, which a loaded machine stretches), and not at all once the host has no jobs
        assertThat(ended.pollCommands()).isBetween(2L, activeMillis / 50 + 3);
        assertThat(ended.rounds()).isLessThanOrEqualTo(ended.pollCommands() + 3);
        assertThat(idle.pollCommands()).as("an idle host: no polls").isEqualTo(ended.pollCommands());
        assertThat(idle.rounds()).as("an idle host: no rounds").isEqualTo(ended.rounds());
    }

    @Test
    void aHeldJobKeepsItsDirectoryUntilItsOutcomeIsRecordedAnOrdinaryOneLosesItBeforeItsOutcomeIsSeen()
            throws Exception {
        CompletableFuture<JobOutcome> ordinary = submit("plain", null, new ByteArrayOutputStream());
        CompletableFuture<JobOutcome> held = supervisor.submitHeld(new JobRequest(
                new JobSpec("held", "true", Map.of(), "test"),
                null,
                Duration.ofMillis(100),
                null,
                CleanupPolicy.ON_SUCCESS,
                bytes -> {}));
        backend.exits.put("plain", 0);
        backend.exits.put("held", 0);

        assertThat(ordinary.get(5, TimeUnit.SECONDS).succeeded()).isTrue();
        assertThat(backend.cleaned)
                .as("removed before the outcome is delivered")
                .contains("plain");
        assertThat(held.get(5, TimeUnit.SECONDS).succeeded()).isTrue();
        Thread.sleep(300); // several rounds
        assertThat(backend.cleaned)
                .as("a held job's directory waits until its outcome is recorded")
                .doesNotContain("held");

        supervisor.outcomeRecorded("held");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!reportedRemoved.contains("held")
                && System.nanoTime() < deadline) { // reported once the removal returned
            Thread.sleep(10);
        }
        assertThat(backend.cleaned).containsOnlyOnce("held");
        assertThat(reportedRemoved)
                .as("removals reported, so that what was written down for them is settled")
                .containsExactly("plain", "held");
    }

    @Test
    void logsAreReadInChunksThatNeverSplitACharacter() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        List<String> chunks = new CopyOnWriteArrayList<>();
        CompletableFuture<JobOutcome> done = supervisor.submit(new JobRequest(
                new JobSpec("u", "true", Map.of(), "test"),
                null,
                Duration.ofMillis(100),
                null,
                CleanupPolicy.NEVER,
                bytes -> {
                    log.writeBytes(bytes);
                    chunks.add(new String(bytes, StandardCharsets.UTF_8));
                }));
        String text = "日本語のログ€€€ and 𝄞𝄞 ascii";
        Thread.sleep(100);
        backend.logOf("u").append(text);
        Thread.sleep(1000);
        backend.exits.put("u", 0);
        done.get(5, TimeUnit.SECONDS);

        assertThat(log.toString(StandardCharsets.UTF_8)).isEqualTo(text);
        assertThat(chunks).hasSizeGreaterThan(3).noneMatch(c -> c.contains("\uFFFD"));
    }

    @Test
    void aJobPastItsTimeoutGetsTermThenKillAfterTheGrace() throws Exception {
        JobOutcome outcome = submit("slow", Duration.ofMillis(200), new ByteArrayOutputStream())
                .get(5, TimeUnit.SECONDS);

        assertThat(outcome.ending()).isEqualTo(JobOutcome.Ending.TIMED_OUT);
        assertThat(backend.signals).containsExactly("TERM slow", "KILL slow");
    }

    @Test
    void aHostThatStaysUnreachableEndsItsJobsWithinTheBudget() throws Exception {
        CompletableFuture<JobOutcome> done = submit("x", null, new ByteArrayOutputStream());
        Thread.sleep(200);
        backend.failNext = new IllegalStateException("connection refused");
        JobSupervisorTest.failForever(backend);

        JobOutcome outcome = done.get(5, TimeUnit.SECONDS);
        assertThat(outcome.ending()).isEqualTo(JobOutcome.Ending.UNREACHABLE);
        assertThat(outcome.detail()).contains("connection refused");
    }

    @Test
    void aFatalSshFailureEndsTheHostsJobsAfterOneRoundAsNotRetryable() throws Exception {
        backend.failNext = new SshFailure(FailureKind.AUTHENTICATION, "authentication failed for u@h:22 with key /k");
        // only the first submit fails: a supervisor that tried another round would start the job
        JobOutcome outcome = submit("f", null, new ByteArrayOutputStream()).get(5, TimeUnit.SECONDS);

        // the batch's jobs end at once (never started), with the SSH layer's words and no retry
        assertThat(outcome.ending()).isEqualTo(JobOutcome.Ending.LOST);
        assertThat(outcome.retryable())
                .as("a fatal failure is not for the task's retries")
                .isFalse();
        assertThat(outcome.detail()).endsWith("authentication failed for u@h:22 with key /k");
        assertThat(supervisor.stats().failedRounds()).isEqualTo(1);
        assertThat(backend.submits.get())
                .as("no second round for a fatal failure")
                .isZero();
    }

    @Test
    void anErrorThrownInAPollIsReportedAndTheHostIsPolledOnItsJobEnds() throws Exception {
        CompletableFuture<JobOutcome> done = submit("e", null, new ByteArrayOutputStream());
        Thread.sleep(200);
        backend.failNext = new StackOverflowError("thrown by the backend");
        Thread.sleep(200);
        backend.exits.put("e", 0);

        JobOutcome outcome = done.get(5, TimeUnit.SECONDS);
        System.out.printf(
                "fault 7: after an Error in a poll, %s; failed rounds %d%n",
                outcome.ending(), supervisor.stats().failedRounds());
        assertThat(outcome.succeeded()).isTrue();
        assertThat(supervisor.stats().failedRounds()).isEqualTo(1);
    }

    @Test
    void aDetachedJobIsLeftRunningAndForgotten() throws Exception {
        CompletableFuture<JobOutcome> done = submit("d", null, new ByteArrayOutputStream());
        Thread.sleep(200);
        done.cancel(false);
        Thread.sleep(200);

        assertThat(supervisor.stats().active()).isZero();
        assertThat(backend.signals).isEmpty();
    }

    @Test
    void hostsAttachedOneAfterAnotherPollAtPhasesSpreadOverTheInterval() {
        double[] phases = LongStream.rangeClosed(1, 10)
                .mapToDouble(RemoteJobRoutes::phase)
                .sorted()
                .toArray();
        double closest = 1 + phases[0] - phases[9];
        for (int i = 1; i < phases.length; i++) {
            closest = Math.min(closest, phases[i] - phases[i - 1]);
        }
        assertThat(phases[0]).isGreaterThanOrEqualTo(0.0);
        assertThat(phases[9]).isLessThan(1.0);
        assertThat(closest)
                .as("no two of ten hosts closer than a third of an even share")
                .isGreaterThan(1.0 / 30);
    }

    private static void failForever(ScriptedBackend backend) {
        Thread t = new Thread(() -> {
            for (int i = 0; i < 200; i++) {
                backend.failNext = new IllegalStateException("connection refused");
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
    }
}
