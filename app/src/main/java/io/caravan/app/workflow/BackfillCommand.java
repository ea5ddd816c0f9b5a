package io.caravan.app.workflow;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.caravan.app.server.Backfill;
import io.caravan.app.session.ConsoleCommand;
import io.caravan.app.session.EngineSession;
import io.caravan.core.engine.RunListener;
import io.caravan.core.runs.RunState;
import io.caravan.core.storage.RunControl;
import io.caravan.core.workflow.InvalidWorkflowException;
import io.caravan.core.workflow.WorkflowDefinition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * One run per firing of a workflow's schedule over a range of dates, each with its logical date as {@code run.date}.
 * Beside a server holding the embedded database the server makes and drives them; otherwise they run here, in the
 * foreground, at most {@code --parallel} at a time.
 */
@Command(
        name = "backfill",
        mixinStandardHelpOptions = true,
        description = "Run a scheduled workflow once per firing of its schedule between two dates.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {
            "0:every run made succeeded (or, with --dry-run, the list was printed)",
            "1:a run failed",
            "2:unknown workflow, no schedule, or invalid input"
        })
public final class BackfillCommand extends ConsoleCommand {
    @Parameters(paramLabel = "WORKFLOW", description = "Workflow id, as in the server's workflows directory.")
    String workflowId;

    @Option(names = "--from", required = true, paramLabel = "DATE", description = "First date (YYYY-MM-DD), included.")
    LocalDate from;

    @Option(names = "--to", required = true, paramLabel = "DATE", description = "Last date (YYYY-MM-DD), included.")
    LocalDate to;

    @Option(
            names = "--parallel",
            paramLabel = "N",
            defaultValue = "1",
            description = "At most N runs active at once (default 1).")
    int parallel;

    @Option(names = "--set", paramLabel = "NAME=VALUE", description = "Override a param of the new runs (repeatable).")
    Map<String, String> sets = new LinkedHashMap<>();

    @Option(names = "--rerun", description = "Run dates whose run succeeded again too.")
    boolean rerun;

    @Option(names = "--dry-run", description = "List the dates and what would be done for each; run nothing.")
    boolean dryRun;

    @Option(
            names = "--workflows",
            paramLabel = "DIR",
            description = "Where the server's workflows are (default: CARAVAN_HOME/workflows).")
    Path workflows;

    @Override
    protected int run(Path home, PrintWriter out, PrintWriter err) throws Exception {
        if (parallel < 1 || parallel > 64) {
            err.println("--parallel must be between 1 and 64, got " + parallel);
            err.flush();
            return ValidateCommand.INVALID;
        }
        Optional<HoldingServer> server = HoldingServer.of(home, database);
        if (server.isPresent()) {
            return server.get()
                    .backfill(workflowId, from, to, parallel, sets, rerun, dryRun)
                    .print(out, err);
        }
        WorkflowDirectory directory = new WorkflowDirectory(workflows != null ? workflows : home.resolve("workflows"));
        try (EngineSession session = new EngineSession(home, database)) {
            Optional<WorkflowDirectory.Found> found = directory.find(session.loader(), workflowId);
            if (found.isEmpty()) {
                err.println(directory.notFound(workflowId));
                err.flush();
                return ValidateCommand.INVALID;
            }
            WorkflowDefinition workflow;
            List<Backfill.Slot> plan;
            try {
                workflow =
                        session.loader().parse(found.get().file(), found.get().yaml(), sets);
                plan = Backfill.plan(session.store(), workflow, from, to, rerun);
            } catch (InvalidWorkflowException e) {
                e.errors().forEach(err::println);
                err.flush();
                return ValidateCommand.INVALID;
            } catch (IllegalArgumentException e) {
                err.println(workflowId + ": " + e.getMessage());
                err.flush();
                return ValidateCommand.INVALID;
            }
            plan.forEach(slot -> out.println(slot.line()));
            out.println(plan.size() + " firing(s) from " + from + " to " + to + "; "
                    + plan.stream()
                            .filter(s -> s.action() != Backfill.Action.SKIP)
                            .count() + " to run");
            out.flush();
            if (dryRun) {
                return 0;
            }
            session.startCamel();
            return drive(session, workflow, found.get().yaml(), plan, out);
        }
    }

    /** Each slot's run made (or reopened) only when a place frees up, so at most {@code parallel} are active. */
    private int drive(
            EngineSession session, WorkflowDefinition workflow, String yaml, List<Backfill.Slot> plan, PrintWriter out)
            throws InterruptedException {
        RunControl control = new RunControl(session.database());
        ExecutorService places = Executors.newFixedThreadPool(parallel);
        List<Future<RunState>> ends = new ArrayList<>();
        try {
            for (Backfill.Slot slot : plan) {
                ends.add(places.submit(() -> {
                    Optional<Backfill.Started> started =
                            Backfill.start(slot, workflow, yaml, session.engine(), control, session.loader());
                    if (started.isEmpty()) {
                        return null;
                    }
                    RunState end = session.engine()
                            .run(started.get().run(), started.get().workflow(), RunListener.NONE);
                    synchronized (out) {
                        out.println(slot.date() + "  run " + started.get().run().id() + "  "
                                + (end == null ? "stopped" : end.name().toLowerCase(Locale.ROOT)));
                        out.flush();
                    }
                    return end;
                }));
            }
            int failed = 0;
            for (Future<RunState> end : ends) {
                try {
                    RunState state = end.get();
                    failed += state == null || state == RunState.SUCCEEDED ? 0 : 1;
                } catch (ExecutionException e) {
                    out.println("a run could not start: " + e.getCause().getMessage());
                    failed++;
                }
            }
            out.println(failed == 0 ? "backfill done" : "backfill done; " + failed + " run(s) did not succeed");
            out.flush();
            return failed == 0 ? 0 : 1;
        } finally {
            places.shutdownNow();
        }
    }
}
