package io.caravan.app.server;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import io.caravan.app.session.EngineSession;
import io.caravan.app.session.StoredWorkflow;
import io.caravan.core.engine.Json;
import io.caravan.core.engine.RunListener;
import io.caravan.core.engine.WorkflowLauncher;
import io.caravan.core.runs.RunState;
import io.caravan.core.storage.RunRecord;
import io.caravan.core.workflow.InvalidWorkflowException;
import io.caravan.core.workflow.WorkflowDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs workflows of the catalog in the background, each driven on its own thread until it ends. */
final class RunLauncher implements WorkflowLauncher, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunLauncher.class);

    private final EngineSession session;
    private final WorkflowCatalog catalog;
    private final java.util.Set<String> driving = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final ExecutorService drivers = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "caravan-run");
        t.setDaemon(true);
        return t;
    });

    RunLauncher(EngineSession session, WorkflowCatalog catalog) {
        this.session = session;
        this.catalog = catalog;
    }

    @Override
    public CompletableFuture<RunOutcome> launch(String workflowId, String trigger, Map<String, String> overrides) {
        WorkflowCatalog.Entry entry = catalog.get(workflowId);
        WorkflowDefinition workflow;
        try {
            workflow = session.loader().parse(entry.definition().source(), entry.yaml(), overrides);
        } catch (InvalidWorkflowException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        RunRecord run = session.engine().create(workflow, trigger, entry.yaml());
        LOG.info("run {} of {} started by {}", run.id(), workflowId, trigger);
        return drive(run, workflow, false);
    }

    /**
     * Runs nobody drives yet: queued by {@code caravan trigger}, or left unfinished by a server that
     * stopped; picked up where they were, succeeded tasks kept.
     */
    int pickUpUnfinished() {
        int resumed = 0;
        for (RunRecord run : session.store().unfinishedRuns()) {
            if (driving.contains(run.id())) {
                continue;
            }
            try {
                drive(run, StoredWorkflow.of(run, session.loader()), true);
                resumed++;
            } catch (InvalidWorkflowException e) {
                LOG.error("cannot resume run {}: its stored workflow no longer loads: {}", run.id(), e.getMessage());
            }
        }
        return resumed;
    }

    private CompletableFuture<RunOutcome> drive(RunRecord run, WorkflowDefinition workflow, boolean resume) {
        driving.add(run.id());
        return CompletableFuture.supplyAsync(() -> {
            try {
                RunState end = resume ? session.engine().resume(run, workflow, RunListener.NONE)
                        : session.engine().run(run, workflow, RunListener.NONE);
                LOG.info("run {} of {} {}", run.id(), workflow.id(), end);
                return new RunOutcome(run.id(), workflow.id(), end, outputs(run.id()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("server stopping: run " + run.id() + " will resume at next start", e);
            } finally {
                driving.remove(run.id());
            }
        }, drivers);
    }

    private Map<String, Object> outputs(String runId) {
        Map<String, Object> outputs = new LinkedHashMap<>();
        session.store().runTasks(runId).forEach(t -> outputs.put(t.taskId(), Json.read(t.outputJson())));
        return outputs;
    }

    @Override
    public void close() throws InterruptedException {
        drivers.shutdownNow();
        drivers.awaitTermination(30, TimeUnit.SECONDS);
    }
}
