package io.caravan.core.storage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.caravan.core.runs.RunState;
import io.caravan.core.runs.TaskState;
import io.caravan.core.ssh.HostKeyPolicy;
import org.assertj.core.api.Assertions;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What the engine relies on from its database; run against each database the product supports. */
abstract class RunStoreContract {
    private static final Duration LEASE = Duration.ofSeconds(30);

    protected Database db;
    protected RunStore store;
    private final Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);

    protected abstract Database openDatabase() throws Exception;

    protected void dropDatabase() throws Exception {}

    @BeforeEach
    void open() throws Exception {
        db = openDatabase();
        store = new RunStore(db);
    }

    @AfterEach
    void close() throws Exception {
        db.close();
        dropDatabase();
    }

    private Run newRun(String... tasks) {
        return store.createRun("wf", "manual", "{\"n\":1}", "wf.yaml", "workflow: wf", List.of(tasks), now);
    }

    @Test
    void aNewRunIsQueuedWithEveryTaskPending() {
        Run run = newRun("a", "b");

        assertThat(store.run(run.id()).orElseThrow().state()).isEqualTo(RunState.QUEUED);
        assertThat(store.runTasks(run.id())).extracting(RunTask::taskId).containsExactlyInAnyOrder("a", "b");
        assertThat(store.runTasks(run.id())).allMatch(t -> t.state() == TaskState.PENDING);
        assertThat(store.unfinishedRuns()).extracting(Run::id).contains(run.id());
    }

    @Test
    void makingReadyCreatesOneReadyInstancePerItemOnce() {
        Run run = newRun("fan");
        store.makeReady(run.id(), "fan", List.of("0", "1", "2"), 3, now);
        store.makeReady(run.id(), "fan", List.of("0", "1", "2"), 3, now);

        assertThat(store.counts(run.id(), "fan"))
                .containsEntry(TaskState.READY, 3L)
                .hasSize(1);
        assertThat(store.runTasks(run.id()).get(0).itemCount()).isEqualTo(3);
        assertThat(store.runTasks(run.id()).get(0).state()).isEqualTo(TaskState.RUNNING);
    }

    @Test
    void claimsHonourTheLimitAndNeverHandOutAnInstanceTwice() {
        Run run = newRun("fan");
        store.makeReady(run.id(), "fan", items(5), 1, now);

        List<Claim> first = store.attempts().claim(run.id(), "fan", 3, "engine-1", LEASE, now);
        List<Claim> second = store.attempts().claim(run.id(), "fan", 10, "engine-2", LEASE, now);

        assertThat(first).extracting(Claim::itemIndex).containsExactly(0, 1, 2);
        assertThat(second).extracting(Claim::itemIndex).containsExactly(3, 4);
        assertThat(store.attempts().claim(run.id(), "fan", 10, "engine-3", LEASE, now))
                .isEmpty();
        assertThat(store.counts(run.id(), "fan")).containsEntry(TaskState.RUNNING, 5L);
    }

    @Test
    void concurrentClaimersSplitTheWorkWithoutOverlap() throws Exception {
        Run run = newRun("fan");
        store.makeReady(run.id(), "fan", items(200), 1, now);
        ExecutorService engines = Executors.newFixedThreadPool(4);
        ConcurrentLinkedQueue<Long> claimed = new ConcurrentLinkedQueue<>();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int e = 0; e < 4; e++) {
                String owner = "engine-" + e;
                futures.add(engines.submit(() -> {
                    List<Claim> batch;
                    do {
                        batch = store.attempts().claim(run.id(), "fan", 7, owner, LEASE, now);
                        batch.forEach(c -> claimed.add(c.instanceId()));
                    } while (!batch.isEmpty());
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            engines.shutdownNow();
        }
        assertThat(claimed).hasSize(200);
        assertThat(new HashSet<>(claimed)).hasSize(200);
    }

    @Test
    void onlyTheLeaseHolderCanCompleteAnInstance() {
        Run run = newRun("a");
        store.makeReady(run.id(), "a", List.of("null"), 1, now);
        Claim claim =
                store.attempts().claim(run.id(), "a", 1, "engine-1", LEASE, now).get(0);
        Claim forged = new Claim(claim.instanceId(), run.id(), "a", 0, null, 1, 1, "not-the-token", null);

        assertThat(store.attempts().complete(forged, TaskState.SUCCEEDED, "\"x\"", null, null, now))
                .isFalse();
        assertThat(store.attempts().complete(claim, TaskState.SUCCEEDED, "\"out\"", null, null, now))
                .isTrue();
        assertThat(store.attempts().complete(claim, TaskState.FAILED, null, "late", null, now))
                .isFalse();
        assertThat(store.outputs(run.id(), "a")).containsEntry(0, "\"out\"");
        assertThat(store.counts(run.id(), "a")).containsEntry(TaskState.SUCCEEDED, 1L);
    }

    @Test
    void aRetriedInstanceWaitsForItsTimeAndCountsTheAttempt() {
        Run run = newRun("a");
        store.makeReady(run.id(), "a", List.of("null"), 3, now);
        Claim claim =
                store.attempts().claim(run.id(), "a", 1, "engine-1", LEASE, now).get(0);

        assertThat(store.attempts()
                        .end(List.of(AttemptEnd.retried(claim, now.plusSeconds(10), "exit 1", null)), now)
                        .get(0))
                .isTrue();

        assertThat(store.attempts().claim(run.id(), "a", 1, "engine-1", LEASE, now.plusSeconds(5)))
                .isEmpty();
        Claim again = store.attempts()
                .claim(run.id(), "a", 1, "engine-1", LEASE, now.plusSeconds(11))
                .get(0);
        assertThat(again.attempt()).isEqualTo(2);
        assertThat(store.instances(run.id()).get(0).error()).isEqualTo("exit 1");
    }

    @Test
    void anExpiredLeaseKeepsTheAttemptAndItsHostUntilItLapsesTooOften() {
        Run run = newRun("a", "b");
        store.makeReady(run.id(), "a", List.of("null"), 2, now);
        store.makeReady(run.id(), "b", List.of("null"), 1, now);
        Claim first = store.attempts()
                .claim(run.id(), "a", 1, "dead-engine", LEASE, now)
                .get(0);
        store.placements().placedOn(run.id(), "a", 0, "h1:22");
        store.attempts().claim(run.id(), "b", 1, "dead-engine", LEASE, now);

        assertThat(store.recovery().reclaimExpired(now.plusSeconds(1))).isZero();
        Instant t = now;
        for (int lapse = 1; lapse <= LeaseRecovery.MAX_INTERRUPTIONS; lapse++) {
            t = t.plus(LEASE).plusSeconds(1);
            assertThat(store.recovery().reclaimExpired(t)).as("lapse %d", lapse).isEqualTo(lapse == 1 ? 2 : 1);
            assertThat(store.counts(run.id(), "b")).containsEntry(TaskState.READY, 1L);
            Claim again = store.attempts()
                    .claim(run.id(), "a", 1, "next-engine", LEASE, t)
                    .get(0);
            assertThat(again.attempt()).as("the same attempt, so the same job").isEqualTo(first.attempt());
            assertThat(again.host()).as("adopted where it runs").isEqualTo("h1:22");
        }
        t = t.plus(LEASE).plusSeconds(1);
        store.recovery().reclaimExpired(t);
        Claim retried = store.attempts()
                .claim(run.id(), "a", 1, "next-engine", LEASE, t)
                .get(0);
        assertThat(retried.attempt())
                .as("lapsing again and again uses up an attempt")
                .isEqualTo(2);
        assertThat(retried.host()).isNull();
    }

    @Test
    void aDeadNodesInstancesComeBackAtOnceAndResumedRunsKeepTheirAttempts() {
        Run run = newRun("a");
        store.makeReady(run.id(), "a", List.of("1", "2", "3"), 1, now);
        store.attempts().claim(run.id(), "a", 2, "dead-node", LEASE, now);
        store.attempts().claim(run.id(), "a", 1, "live-node", LEASE, now);

        assertThat(store.recovery().reclaimOwner("dead-node", now)).isEqualTo(2);
        assertThat(store.counts(run.id(), "a"))
                .containsEntry(TaskState.READY, 2L)
                .containsEntry(TaskState.RUNNING, 1L);
        assertThat(store.recovery().reclaimRun(run.id(), now)).isEqualTo(1);
        assertThat(store.attempts().claim(run.id(), "a", 3, "new-node", LEASE, now))
                .extracting(Claim::attempt)
                .containsOnly(1);
    }

    @Test
    void claimsForSomeHostsSkipJobsRunningElsewhereAndAdoptFirst() {
        Run run = newRun("a");
        store.makeReady(run.id(), "a", List.of("0", "1", "2", "3"), 1, now);
        store.attempts().claim(run.id(), "a", 4, "dead-node", LEASE, now);
        store.placements().placedOn(run.id(), "a", 2, "h1:22");
        store.placements().placedOn(run.id(), "a", 3, "h2:22");
        store.recovery().reclaimOwner("dead-node", now);

        List<Claim> mine = store.attempts().claim(run.id(), "a", 2, List.of("h1:22"), null, "owner-of-h1", LEASE, now);
        assertThat(mine).extracting(Claim::itemIndex).containsExactly(2, 0);
        assertThat(store.attempts().claim(run.id(), "a", 4, List.of("h1:22"), null, "owner-of-h1", LEASE, now))
                .extracting(Claim::itemIndex)
                .containsExactly(1);
        assertThat(store.attempts().claim(run.id(), "a", 4, List.of(), null, "nobody", LEASE, now))
                .isEmpty();
    }

    @Test
    void whatAJobHoldsIsStoredWithItsPlacementAndStaysHeldUntilItsAttemptEnds() {
        Run run = newRun("a");
        store.makeReady(run.id(), "a", List.of("0", "1"), 1, now);
        List<Claim> claims = store.attempts().claim(run.id(), "a", 2, "dead-node", LEASE, now);
        store.placements()
                .placedOn(List.of(
                        new PlacementStore.Placement(run.id(), "a", 0, "h1:22", List.of(2, 3), 4, 1L << 30),
                        new PlacementStore.Placement(run.id(), "a", 1, "h1:22")));

        assertThat(store.placements().heldOn("h1:22"))
                .as("a job that asked for nothing holds nothing to store")
                .containsExactly(new PlacementStore.Held(run.id(), "a", 0, 1, "h1:22", List.of(2, 3), 4, 1L << 30));
        assertThat(store.placements().usageByHost())
                .containsEntry(
                        "h1:22",
                        new PlacementStore.HostUsage(
                                Map.of(2, run.id() + "/a[0]", 3, run.id() + "/a[0]"), 4, 1L << 30));
        store.recovery().reclaimOwner("dead-node", now);
        assertThat(store.placements().heldOn("h1:22"))
                .as("taken back, to be adopted with its GPUs")
                .hasSize(1);
        assertThat(store.placements().usageByHost()).as("no job runs now").isEmpty();
        Claim adopted = store.attempts().claim(run.id(), "a", 2, "new-node", LEASE, now).stream()
                .filter(c -> c.itemIndex() == 0)
                .findFirst()
                .orElseThrow();
        assertThat(store.attempts().complete(adopted, TaskState.SUCCEEDED, null, null, null, now))
                .isTrue();
        assertThat(store.placements().heldOn("h1:22")).isEmpty();
        assertThat(claims).hasSize(2);
    }

    @Test
    void aTaskAimedAtOneHostRecordsItWithTheClaimItsBusySlots() {
        Run run = newRun("a");
        store.makeReady(run.id(), "a", List.of("0", "1"), 1, now);

        List<Claim> claims = store.attempts().claim(run.id(), "a", 2, null, "h9:22", "engine", LEASE, now);

        assertThat(claims).extracting(Claim::host).containsOnly("h9:22");
        assertThat(store.placements().busyHosts()).containsEntry("h9:22", 2L);
        assertThat(store.placements().hostsInUse("engine")).containsExactly("h9:22");
    }

    @Test
    void hostsAreOwnedByOneLiveNodeAtATimeAndSpreadEvenly() {
        ClusterStore cluster = new ClusterStore(db);
        List<String> live = List.of("n1", "n2");
        Instant until = now.plusSeconds(10);
        assertThat(cluster.acquire("h1:22", "n1", live, now, until)).isTrue();
        assertThat(cluster.acquire("h1:22", "n2", live, now, until))
                .as("held by n1")
                .isFalse();
        assertThat(cluster.acquire("h2:22", "n1", live, now, until))
                .as("n1 holds more than n2")
                .isFalse();
        assertThat(cluster.acquire("h2:22", "n2", live, now, until)).isTrue();
        assertThat(cluster.acquire("h1:22", "n1", live, now, until))
                .as("held already")
                .isTrue();

        Instant later = until.plusSeconds(1);
        assertThat(cluster.renew("n2", later.plusSeconds(10))).containsExactly("h2:22");
        assertThat(cluster.acquire("h1:22", "n2", List.of("n2"), later, later.plusSeconds(10)))
                .as("n1's lease ran out")
                .isTrue();
        assertThat(cluster.renew("n1", later.plusSeconds(10)))
                .as("n1 learns it lost h1")
                .isEmpty();
        assertThat(cluster.leases()).extracting(HostLease::nodeId).containsOnly("n2");

        cluster.beat("n2", "machine", 42, later);
        cluster.stopped("n2", later);
        assertThat(cluster.leases()).as("a clean stop frees its hosts").isEmpty();
        assertThat(cluster.nodes())
                .singleElement()
                .satisfies(
                        n -> assertThat(n.liveAt(later, Duration.ofSeconds(10))).isFalse());
    }

    @Test
    void aCancelledRunEndsEverythingOpenAndLateResultsAreIgnored() {
        RunControl control = new RunControl(db);
        Run run = newRun("a", "b");
        store.makeReady(run.id(), "a", List.of("1", "2", "3"), 1, now);
        Claim running =
                store.attempts().claim(run.id(), "a", 1, "engine", LEASE, now).get(0);

        assertThat(control.cancelRun(run.id(), now)).isTrue();
        assertThat(control.cancelRun(run.id(), now)).as("once").isFalse();
        assertThat(store.run(run.id()).orElseThrow().state()).isEqualTo(RunState.CANCELLED);
        assertThat(store.counts(run.id(), "a")).containsOnly(Map.entry(TaskState.CANCELLED, 3L));
        assertThat(store.runTasks(run.id())).extracting(RunTask::state).containsOnly(TaskState.CANCELLED);
        assertThat(store.attempts().complete(running, TaskState.SUCCEEDED, "\"late\"", null, null, now))
                .isFalse();
        store.startRun(run.id(), now);
        assertThat(store.run(run.id()).orElseThrow().state())
                .as("an engine joining late does not revive it")
                .isEqualTo(RunState.CANCELLED);
    }

    @Test
    void retryingAFailedItemReopensItsTaskItsRunAndTheTasksThatWaitedForIt() {
        RunControl control = new RunControl(db);
        Run run = newRun("a", "b");
        store.makeReady(run.id(), "a", List.of("1", "2"), 1, now);
        List<Claim> claims = store.attempts().claim(run.id(), "a", 2, "engine", LEASE, now);
        store.attempts().complete(claims.get(0), TaskState.SUCCEEDED, "1", null, null, now);
        store.attempts().complete(claims.get(1), TaskState.FAILED, null, "exit code 3", null, now);
        store.finishRunTask(run.id(), "a", TaskState.FAILED, null, now);
        store.finishRunTask(run.id(), "b", TaskState.UPSTREAM_FAILED, null, now);
        store.finishRun(run.id(), RunState.FAILED, now);

        assertThat(control.retryItem(run.id(), "a", 0, List.of("b"), now))
                .as("it succeeded")
                .isEmpty();
        TaskInstance again =
                control.retryItem(run.id(), "a", 1, List.of("b"), now).orElseThrow();

        assertThat(again.state()).isEqualTo(TaskState.READY);
        assertThat(again.attempt()).isEqualTo(2);
        assertThat(again.maxAttempts()).as("one more than its retries allowed").isEqualTo(2);
        assertThat(store.run(run.id()).orElseThrow().state()).isEqualTo(RunState.RUNNING);
        assertThat(store.runTasks(run.id()))
                .extracting(RunTask::taskId, RunTask::state)
                .containsExactlyInAnyOrder(Tuple.tuple("a", TaskState.RUNNING), Tuple.tuple("b", TaskState.PENDING));
        assertThat(store.attempts().claim(run.id(), "a", 2, "engine", LEASE, now))
                .extracting(Claim::itemIndex)
                .containsExactly(1);
    }

    @Test
    void clearingTasksOfAFinishedRunMakesThemReadyAgainWithNextAttemptsAndKeepsTheOthers() {
        RunControl control = new RunControl(db);
        Run run = newRun("up", "a", "b");
        store.makeReady(run.id(), "up", List.of("null"), 1, now);
        store.attempts()
                .complete(
                        store.attempts()
                                .claim(run.id(), "up", 1, "engine", LEASE, now)
                                .get(0),
                        TaskState.SUCCEEDED,
                        "\"kept\"",
                        null,
                        null,
                        now);
        store.finishRunTask(run.id(), "up", TaskState.SUCCEEDED, "\"kept\"", now);
        store.makeReady(run.id(), "a", List.of("1", "2", "3"), 1, now);
        for (Claim c : store.attempts().claim(run.id(), "a", 3, "engine", LEASE, now)) {
            store.attempts().complete(c, TaskState.FAILED, null, "exit code 3", null, now);
        }
        store.finishRunTask(run.id(), "a", TaskState.FAILED, null, now);
        store.finishRunTask(run.id(), "b", TaskState.UPSTREAM_FAILED, null, now);
        assertThatThrownBy(() -> control.clearTasks(run.id(), List.of("a"), false, now))
                .as("the run has not ended")
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("only the tasks of a run that has ended");
        store.finishRun(run.id(), RunState.FAILED, now);

        assertThat(control.clearTasks(run.id(), List.of("up", "a", "b"), true, now))
                .as("failed only")
                .containsExactly("a", "b");
        assertThat(store.run(run.id()).orElseThrow().state()).isEqualTo(RunState.RUNNING);
        assertThat(store.runTasks(run.id()))
                .extracting(RunTask::taskId, RunTask::state, RunTask::outputJson)
                .containsExactlyInAnyOrder(
                        Tuple.tuple("up", TaskState.SUCCEEDED, "\"kept\""),
                        Tuple.tuple("a", TaskState.PENDING, null),
                        Tuple.tuple("b", TaskState.PENDING, null));
        assertThat(store.attempts().claim(run.id(), "a", 3, "engine", LEASE, now))
                .as("nothing to run before it is made ready")
                .isEmpty();

        // made ready again with two items where there were three: two keep their rows and histories, one goes
        store.makeReady(run.id(), "a", List.of("\"x\"", "\"y\""), 2, now);
        List<TaskInstance> a = store.instances(run.id()).stream()
                .filter(i -> i.taskId().equals("a"))
                .toList();
        assertThat(a)
                .extracting(
                        TaskInstance::itemIndex,
                        TaskInstance::state,
                        TaskInstance::attempt,
                        TaskInstance::maxAttempts,
                        TaskInstance::itemJson)
                .containsExactlyInAnyOrder(
                        Tuple.tuple(0, TaskState.READY, 2, 3, "\"x\""), Tuple.tuple(1, TaskState.READY, 2, 3, "\"y\""));
        store.makeReady(run.id(), "b", List.of("null"), 1, now);
        assertThat(store.counts(run.id(), "b")).containsOnly(Map.entry(TaskState.READY, 1L));
        assertThat(store.attempts().claim(run.id(), "a", 3, "engine", LEASE, now))
                .extracting(Claim::attempt)
                .containsOnly(2);
    }

    @Test
    void aStoppingEngineGivesBackItsClaimsWithoutUsingAttempts() {
        Run run = newRun("a");
        store.makeReady(run.id(), "a", List.of("null"), 1, now);
        List<Claim> held = store.attempts().claim(run.id(), "a", 1, "stopping-engine", LEASE, now);

        store.attempts().giveBack(held, now);

        Claim again = store.attempts()
                .claim(run.id(), "a", 1, "next-engine", LEASE, now)
                .get(0);
        assertThat(again.attempt()).isEqualTo(1);
        assertThat(store.attempts().complete(held.get(0), TaskState.SUCCEEDED, "\"late\"", null, null, now))
                .isFalse();
    }

    @Test
    void poolsKeepTheirHostsUntilRemoved() {
        PoolStore pools = new PoolStore(db);
        StoredConnection gpu1 =
                new StoredConnection("gpu:batch@gpu1:22", "gpu1", 22, "batch", "/keys/id", "/kh", HostKeyPolicy.STRICT);
        pools.addHost("gpu", gpu1, 3, now);
        pools.addHost(
                "gpu",
                new StoredConnection(
                        "gpu:batch@gpu2:2222", "gpu2", 2222, "batch", "/keys/id", "/kh", HostKeyPolicy.ACCEPT_NEW),
                5,
                now);

        assertThat(pools.pools().get("gpu"))
                .extracting(h -> h.connection().host() + ":" + h.connection().port() + "/" + h.slots())
                .containsExactly("gpu1:22/3", "gpu2:2222/5");
        assertThat(pools.pools().get("gpu").get(1).connection().hostKeyPolicy()).isEqualTo(HostKeyPolicy.ACCEPT_NEW);
        Assertions.assertThatThrownBy(() -> pools.addHost("gpu", gpu1, 1, now))
                .hasMessageContaining("already has batch@gpu1:22");
        assertThat(pools.remove("gpu")).isTrue();
        assertThat(pools.remove("gpu")).isFalse();
        assertThat(pools.pools()).isEmpty();
    }

    @Test
    void unfinishedRunsAreQueuedOrRunningAndCanLeaveOutSomeTriggers() {
        Run foreground = newRun("a");
        Run queued = store.createRun("wf", "cli", "{}", null, "workflow: wf", List.of("a"), now);
        Run ended = store.createRun("wf", "cli", "{}", null, "workflow: wf", List.of("a"), now);
        store.startRun(foreground.id(), now);
        store.finishRun(ended.id(), RunState.SUCCEEDED, now);

        assertThat(store.unfinishedRuns())
                .extracting(Run::id)
                .contains(foreground.id(), queued.id())
                .doesNotContain(ended.id());
        assertThat(store.unfinishedRunsExcept(List.of("manual")))
                .extracting(Run::id)
                .contains(queued.id())
                .doesNotContain(foreground.id(), ended.id());
    }

    @Test
    void runsMoveThroughTheirStatesAndDeletedRunsAreHiddenButKept() {
        Run run = newRun("a");
        store.startRun(run.id(), now);
        store.finishRunTask(run.id(), "a", TaskState.SUCCEEDED, "[1,2]", now);
        store.finishRun(run.id(), RunState.SUCCEEDED, now.plusSeconds(1));

        Run done = store.run(run.id()).orElseThrow();
        assertThat(done.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(done.startedAt()).isEqualTo(now);
        assertThat(store.runTasks(run.id()).get(0).outputJson()).isEqualTo("[1,2]");

        store.deleteRun(run.id(), now);
        assertThat(store.runs(100)).extracting(Run::id).doesNotContain(run.id());
        assertThat(store.run(run.id())).isPresent();
    }

    @Test
    void aRenewalExtendsOnlyTheInstancesStillHeldNotTheRestOfTheirClaimedBatch() {
        Run run = newRun("a");
        store.makeReady(run.id(), "a", items(2), 3, now);
        List<Claim> batch = store.attempts().claim(run.id(), "a", 2, "engine-1", LEASE, now);
        assertThat(batch)
                .extracting(Claim::token)
                .as("one claim, one token")
                .containsOnly(batch.get(0).token());

        // the engine let go of the first (its end could not be recorded) and renews the second only
        Instant later = now.plus(LEASE).minusSeconds(1);
        store.attempts().renew(List.of(batch.get(1)), later.plus(LEASE));
        store.recovery().reclaimExpired(now.plus(LEASE).plusSeconds(1));

        assertThat(store.instance(run.id(), "a", batch.get(0).itemIndex())
                        .orElseThrow()
                        .state())
                .as("the one let go lapsed and was taken back")
                .isEqualTo(TaskState.READY);
        assertThat(store.instance(run.id(), "a", batch.get(1).itemIndex())
                        .orElseThrow()
                        .state())
                .as("the one still held runs on")
                .isEqualTo(TaskState.RUNNING);
    }

    @Test
    void anErrorOverItsColumnIsCutSayingSoAndAnOutputOverItsColumnFailsTheAttemptSayingWhy() {
        Run run = newRun("a");
        store.makeReady(run.id(), "a", items(3), 1, now);
        List<Claim> claims = store.attempts().claim(run.id(), "a", 3, "engine-1", LEASE, now);
        String longError = "e".repeat(AttemptEnd.MAX_ERROR + 500);
        String hugeOutput = "\"" + "o".repeat(AttemptEnd.MAX_OUTPUT) + "\"";

        List<Boolean> recorded = store.attempts()
                .end(
                        List.of(
                                AttemptEnd.ended(claims.get(0), TaskState.FAILED, null, longError, null),
                                AttemptEnd.succeeded(claims.get(1), hugeOutput, null),
                                AttemptEnd.succeeded(claims.get(2), "\"small\"", null)),
                        now);

        assertThat(recorded).containsExactly(true, true, true);
        TaskInstance cut =
                store.instance(run.id(), "a", claims.get(0).itemIndex()).orElseThrow();
        assertThat(cut.error()).hasSize(AttemptEnd.MAX_ERROR).endsWith("(cut at 10000 characters)");
        TaskInstance huge =
                store.instance(run.id(), "a", claims.get(1).itemIndex()).orElseThrow();
        assertThat(huge.state()).isEqualTo(TaskState.FAILED);
        assertThat(huge.outputJson()).isNull();
        assertThat(huge.error()).contains("over the 1000000 an item keeps");
        assertThat(store.instance(run.id(), "a", claims.get(2).itemIndex())
                        .orElseThrow()
                        .outputJson())
                .isEqualTo("\"small\"");
    }

    @Test
    void manyAttemptsEndInOneCallEachRecordedOnlyUnderItsOwnLease() {
        Run run = newRun("a");
        store.makeReady(run.id(), "a", items(4), 3, now);
        List<Claim> claims = store.attempts().claim(run.id(), "a", 4, "engine-1", LEASE, now);
        Claim stale = new Claim(claims.get(3).instanceId(), run.id(), "a", 3, "3", 1, 3, "not-the-token", null);

        List<Boolean> recorded = store.attempts()
                .end(
                        List.of(
                                AttemptEnd.ended(claims.get(2), TaskState.FAILED, null, "exit code 2", null)
                                        .withLog("/logs/2"),
                                AttemptEnd.ended(claims.get(0), TaskState.SUCCEEDED, "\"zero\"", null, null),
                                AttemptEnd.ended(stale, TaskState.SUCCEEDED, "\"forged\"", null, null),
                                AttemptEnd.retried(claims.get(1), now.plusSeconds(30), "lost", null)),
                        now);

        assertThat(recorded).containsExactly(true, true, false, true);
        assertThat(store.instance(run.id(), "a", 0).orElseThrow().outputJson()).isEqualTo("\"zero\"");
        TaskInstance failed = store.instance(run.id(), "a", 2).orElseThrow();
        assertThat(failed.state()).isEqualTo(TaskState.FAILED);
        assertThat(failed.logPath()).isEqualTo("/logs/2");
        TaskInstance retried = store.instance(run.id(), "a", 1).orElseThrow();
        assertThat(retried.state()).isEqualTo(TaskState.READY);
        assertThat(retried.attempt()).isEqualTo(2);
        assertThat(retried.nextAttemptAt()).isEqualTo(now.plusSeconds(30));
        assertThat(store.instance(run.id(), "a", 3).orElseThrow().state())
                .as("a stale token changes nothing")
                .isEqualTo(TaskState.RUNNING);
        assertThat(store.attempts().end(List.of(), now)).isEmpty();
    }

    @Test
    void aRecordedOutcomeWritesItsRemovalDownUntilTheDirectoryIsGoneOrItsEngineDies() {
        DebtStore debts = new DebtStore(db);
        Run run = newRun("a");
        store.makeReady(run.id(), "a", items(3), 2, now);
        List<Claim> claims = store.attempts().claim(run.id(), "a", 3, "node-1", LEASE, now);
        store.attempts().complete(claims.get(0), TaskState.SUCCEEDED, "null", null, dir("job-0"), now);
        store.attempts().complete(claims.get(1), TaskState.SUCCEEDED, "null", null, dir("job-1"), now);
        store.attempts().end(List.of(AttemptEnd.retried(claims.get(2), now, "exit code 1", dir("job-2"))), now);

        assertThat(debts.all(now)).as("removals under way are not debts").isEmpty();
        assertThat(debts.count(now)).isZero();
        assertThat(debts.due(now)).isEmpty();
        assertThat(debts.all(now.plus(CleanupDebt.GRACE).plusSeconds(1)))
                .as("a holder silent past its grace")
                .extracting(CleanupDebt::jobId)
                .containsExactlyInAnyOrder("job-0", "job-1", "job-2");

        debts.removed(List.of(dir("job-1"), dir("job-9")));
        assertThat(debts.all(now.plus(CleanupDebt.GRACE).plusSeconds(1)))
                .extracting(CleanupDebt::jobId)
                .containsExactlyInAnyOrder("job-0", "job-2");

        store.recovery().reclaimOwner("node-1", now);
        assertThat(debts.due(now))
                .as("a dead node's removals are due at once")
                .extracting(CleanupDebt::jobId)
                .containsExactlyInAnyOrder("job-0", "job-2");
        assertThat(debts.all(now)).allSatisfy(d -> {
            assertThat(d.holder()).isNull();
            assertThat(d.runId()).isEqualTo(run.id());
            assertThat(d.directory()).isEqualTo(dir(d.jobId()));
        });
    }

    @Test
    void aResumedRunReleasesTheRemovalsItsDeadEngineHadUnderWay() {
        DebtStore debts = new DebtStore(db);
        Run run = newRun("a");
        Run other = newRun("a");
        store.makeReady(run.id(), "a", items(1), 1, now);
        store.makeReady(other.id(), "a", items(1), 1, now);
        store.attempts()
                .complete(
                        store.attempts()
                                .claim(run.id(), "a", 1, "gone", LEASE, now)
                                .get(0),
                        TaskState.FAILED,
                        null,
                        "x",
                        dir("mine"),
                        now);
        store.attempts()
                .complete(
                        store.attempts()
                                .claim(other.id(), "a", 1, "live", LEASE, now)
                                .get(0),
                        TaskState.SUCCEEDED,
                        "null",
                        null,
                        dir("theirs"),
                        now);

        store.recovery().reclaimRun(run.id(), now);
        assertThat(debts.dueOfRun(run.id(), now)).extracting(CleanupDebt::jobId).containsExactly("mine");
        assertThat(debts.due(now)).extracting(CleanupDebt::jobId).containsExactly("mine");

        debts.record(dir("theirs"), null, "permission denied", now.plusSeconds(60), now);
        assertThat(debts.all(now))
                .as("an under-way removal that failed is a debt")
                .extracting(CleanupDebt::jobId)
                .containsExactlyInAnyOrder("mine", "theirs");
    }

    /** Issue 19: max_active_runs holds when engines fire at once (each on its own connection, as nodes of a cluster). */
    @Test
    void firingsAtOnceStartAtMostMaxActiveRunsAndRecordTheRestAsSkipped() throws Exception {
        ExecutorService nodes = Executors.newFixedThreadPool(8);
        try {
            List<Future<Optional<Run>>> fired = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                Instant slot = now.plusSeconds(i % 4); // two firings of each slot: one run per slot whatever fires it
                fired.add(nodes.submit(() ->
                        store.createFiringRun("wf", slot, 1, "{}", "wf.yaml", "workflow: wf", List.of("a"), now)));
            }
            List<Run> runs = new ArrayList<>();
            for (Future<Optional<Run>> f : fired) {
                f.get().ifPresent(runs::add);
            }

            assertThat(runs).as("one run per slot").hasSize(4);
            assertThat(runs.stream().filter(r -> r.state() == RunState.QUEUED))
                    .as("runs to drive")
                    .hasSize(1);
            assertThat(runs.stream().filter(r -> r.state() == RunState.CANCELLED))
                    .hasSize(3)
                    .allSatisfy(r -> {
                        assertThat(r.reason()).startsWith("skipped: 1 run(s) of the workflow active");
                        assertThat(store.runTasks(r.id())).allMatch(t -> t.state() == TaskState.CANCELLED);
                    });
        } finally {
            nodes.shutdownNow();
        }
    }

    @Test
    void aQueuedRunWaitsForRunningAndOlderQueuedRunsOfItsWorkflow() {
        Run first = store.createFiringRun("wf", now, 0, "{}", "wf.yaml", "workflow: wf", List.of("a"), now)
                .orElseThrow();
        Run second = store.createFiringRun(
                        "wf", now.plusSeconds(1), 0, "{}", "wf.yaml", "workflow: wf", List.of("a"), now.plusSeconds(1))
                .orElseThrow();

        assertThat(store.mustWaitTurn(first, 1)).as("the oldest goes first").isFalse();
        assertThat(store.mustWaitTurn(second, 1)).isTrue();
        assertThat(store.mustWaitTurn(second, 2)).isFalse();
        store.startRun(first.id(), now);
        assertThat(store.mustWaitTurn(second, 1)).as("behind a running one").isTrue();
        store.finishRun(first.id(), RunState.SUCCEEDED, now.plusSeconds(3));
        assertThat(store.mustWaitTurn(second, 1)).isFalse();
    }

    private static OwedDirectory dir(String jobId) {
        return new OwedDirectory("127.0.0.1", 2222, "me", "/keys/id", null, "accept-new", ".caravan/jobs", jobId);
    }

    private static List<String> items(int n) {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            items.add(String.valueOf(i));
        }
        return items;
    }
}
