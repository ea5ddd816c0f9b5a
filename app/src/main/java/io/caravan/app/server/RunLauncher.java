package io.caravan.app.server;

import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.caravan.app.sandbox.Sandbox;
import io.caravan.app.session.EngineSession;
import io.caravan.app.session.StoredWorkflow;
import io.caravan.core.engine.Json;
import io.caravan.core.engine.RunListener;
import io.caravan.core.engine.WorkflowLauncher;
import io.caravan.core.runs.RunState;
import io.caravan.core.storage.Run;
import io.caravan.core.storage.RunControl;
import io.caravan.core.threads.DaemonThreads;
import io.caravan.core.workflow.InvalidWorkflowException;
import io.caravan.core.workflow.WorkflowDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs workflows of the catalog in the background, each driven on its own thread until it ends. */
public final class RunLauncher implements WorkflowLauncher, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunLauncher.class);

    private final EngineSession session;
    private final WorkflowCatalog catalog;
    private final Set<String> driving = ConcurrentHashMap.newKeySet();
    private final ExecutorService drivers = Executors.newCachedThreadPool(DaemonThreads.numbered("caravan-run"));

    RunLauncher(EngineSession session, WorkflowCatalog catalog) {
        this.session = session;
        this.catalog = catalog;
    }

    @Override
    public CompletableFuture<RunOutcome> launch(String workflowId, String trigger, Map<String, String> overrides) {
        return launched(workflowId, trigger, overrides).outcome();
    }

    /** Starts a run and answers at once with its id (the API's trigger); the run goes on in the background. */
    public String start(String workflowId, String trigger, Map<String, String> overrides) {
        return launched(workflowId, trigger, overrides).runId();
    }

    private record Launched(String runId, CompletableFuture<RunOutcome> outcome) {}

    private Launched launched(String workflowId, String trigger, Map<String, String> overrides) {
        WorkflowCatalog.Entry entry = catalog.get(workflowId);
        WorkflowDefinition workflow = parse(entry, overrides);
        Run run = session.engine().create(workflow, trigger, entry.yaml());
        LOG.info("run {} of {} started by {}", run.id(), workflowId, trigger);
        return new Launched(run.id(), drive(run, workflow));
    }

    @Override
    public void fire(String workflowId, Instant slot) {
        WorkflowCatalog.Entry entry = catalog.get(workflowId);
        WorkflowDefinition workflow = parse(entry, Map.of());
        session.engine()
                .createScheduled(workflow, slot, entry.yaml())
                .ifPresentOrElse(
                        run -> {
                            if (run.state()
                                    .finished()) { // overlap: skip, with max_active_runs active: recorded, not run
                                LOG.info(
                                        "the {} firing of {} is skipped (run {}): {}",
                                        slot,
                                        workflowId,
                                        run.id(),
                                        run.reason());
                                return;
                            }
                            LOG.info("run {} of {} started by its schedule for {}", run.id(), workflowId, slot);
                            drive(run, workflow);
                        },
                        () -> LOG.info(
                                "the {} firing of {} has its run already (another node fired it)", slot, workflowId));
    }

    /**
     * A backfill of a catalog workflow (see {@link Backfill}): the plan at once; unless a dry run, its runs are made
     * and driven in the background, each made only when one of {@code parallel} places frees up.
     *
     * @throws IllegalArgumentException for a bad param, range or schedule
     */
    public List<Backfill.Slot> backfill(
            String workflowId,
            LocalDate from,
            LocalDate to,
            int parallel,
            Map<String, String> overrides,
            boolean rerun,
            boolean dryRun) {
        WorkflowCatalog.Entry entry = catalog.get(workflowId);
        WorkflowDefinition workflow = parse(entry, overrides);
        List<Backfill.Slot> plan = Backfill.plan(session.store(), workflow, from, to, rerun);
        if (!dryRun) {
            Queue<Backfill.Slot> todo = new ConcurrentLinkedQueue<>(plan);
            for (int i = 0; i < parallel; i++) {
                nextOf(todo, workflow, entry.yaml());
            }
        }
        return plan;
    }

    /** Starts the next slot's run that needs one; when it ends, the one after. */
    private void nextOf(Queue<Backfill.Slot> todo, WorkflowDefinition workflow, String yaml) {
        for (Backfill.Slot slot = todo.poll(); slot != null; slot = todo.poll()) {
            try {
                Optional<Backfill.Started> started = Backfill.start(
                        slot, workflow, yaml, session.engine(), new RunControl(session.database()), session.loader());
                if (started.isPresent()) {
                    LOG.info(
                            "run {} of {} started by a backfill for {}",
                            started.get().run().id(),
                            workflow.id(),
                            slot.at());
                    drive(started.get().run(), started.get().workflow())
                            .whenComplete((end, e) -> nextOf(todo, workflow, yaml));
                    return;
                }
            } catch (InvalidWorkflowException | RuntimeException e) {
                LOG.error("backfill of {}: cannot start the run for {}: {}", workflow.id(), slot.at(), e.getMessage());
            }
        }
    }

    private WorkflowDefinition parse(WorkflowCatalog.Entry entry, Map<String, String> overrides) {
        try {
            return session.loader().parse(entry.definition().source(), entry.yaml(), overrides);
        } catch (InvalidWorkflowException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    /**
     * At start: runs a previous server left unfinished, or that were queued meanwhile (never a sandbox's or the
     * demo's: their host lived in their process, and their stored workflow names the real hosts). Their attempts that
     * a clean stop handed back start at once; those of an engine that died come back when its leases
     * lapse, so a run another live engine is driving is never taken from it.
     */
    int continueUnfinished() {
        return driveAll(session.store().unfinishedRunsExcept(Sandbox.TRIGGERS));
    }

    /** Runs a foreground command ({@code caravan run}, the demo, a benchmark) drives itself while it lives. */
    private static final Set<String> FOREGROUND = Set.of("manual", "demo", "bench", Sandbox.TRIGGER);

    /**
     * While running: runs queued by {@code caravan trigger} from another process, and runs other servers
     * started (a schedule's firing, a route's trigger). Every node drives every such run; each node claims
     * only the attempts for hosts it owns, so the work of a run spreads over the cluster.
     */
    int joinUnfinished() {
        return driveAll(session.store().unfinishedRunsExcept(FOREGROUND));
    }

    /** A run put back to work by hand (an item retried): driven here unless this server drives it already. */
    public void continueRun(Run run) {
        driveAll(List.of(run));
    }

    private int driveAll(List<Run> runs) {
        int started = 0;
        for (Run run : runs) {
            if (driving.contains(run.id()) || Sandbox.TRIGGERS.contains(run.trigger())) {
                continue; // a sandbox's run: its host is gone and its stored workflow names the real hosts
            }
            try {
                drive(run, StoredWorkflow.of(run, session.loader()));
                started++;
            } catch (InvalidWorkflowException e) {
                LOG.error("cannot continue run {}: its stored workflow no longer loads: {}", run.id(), e.getMessage());
            }
        }
        return started;
    }

    private CompletableFuture<RunOutcome> drive(Run run, WorkflowDefinition workflow) {
        driving.add(run.id());
        return CompletableFuture.supplyAsync(
                () -> {
                    try {
                        RunState end = session.engine().run(run, workflow, RunListener.NONE);
                        if (end == null) {
                            throw new IllegalStateException(
                                    "server stopping: run " + run.id() + " continues at the next start");
                        }
                        LOG.info("run {} of {} {}", run.id(), workflow.id(), end);
                        return new RunOutcome(run.id(), workflow.id(), end, outputs(run.id()));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(
                                "server stopping: run " + run.id() + " continues at the next start", e);
                    } finally {
                        driving.remove(run.id());
                    }
                },
                drivers);
    }

    private Map<String, Object> outputs(String runId) {
        Map<String, Object> outputs = new LinkedHashMap<>();
        session.store().runTasks(runId).forEach(t -> outputs.put(t.taskId(), Json.read(t.outputJson())));
        return outputs;
    }

    /** Runs stop at their next tick and hand back their claims; threads are interrupted only as a last resort. */
    @Override
    public void close() throws InterruptedException {
        session.engine().stopRuns();
        drivers.shutdown();
        if (!drivers.awaitTermination(30, TimeUnit.SECONDS)) {
            drivers.shutdownNow();
        }
    }
}
