package io.caravan.app.server;

import java.text.ParseException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import io.caravan.app.session.StoredWorkflow;
import io.caravan.core.engine.Engine;
import io.caravan.core.runs.RunState;
import io.caravan.core.runs.TaskState;
import io.caravan.core.storage.Run;
import io.caravan.core.storage.RunControl;
import io.caravan.core.storage.RunStore;
import io.caravan.core.storage.RunTask;
import io.caravan.core.workflow.InvalidWorkflowException;
import io.caravan.core.workflow.WorkflowDefinition;
import io.caravan.core.workflow.WorkflowLoader;
import org.quartz.CronExpression;

/**
 * A backfill: one run per firing of a workflow's schedule between two dates, each for its slot (so its
 * {@code {{ run.date }}} is that logical date). A slot keeps one run, as the schedule's do: a slot whose run
 * succeeded is skipped unless re-run is asked; one whose run failed or was cancelled is run again in that run (its
 * tasks that did not succeed are cleared); one whose run is still going is left to it.
 */
public final class Backfill {
    /** A range that would make more runs than this is refused: a cron of every second over a year is a typo. */
    public static final int MAX_RUNS = 10_000;

    public static final String TRIGGER = "backfill";

    public enum Action {
        NEW,
        RERUN,
        SKIP
    }

    /** One firing and what the backfill does for it; {@code existing} is the slot's run when it has one. */
    public record Slot(Instant at, Action action, Run existing, String why) {
        /** The logical date, as {@code {{ run.date }}} gives it. */
        public String date() {
            return at.atOffset(ZoneOffset.UTC).toLocalDate().toString();
        }

        public String line() {
            return date() + "  " + at + "  "
                    + switch (action) {
                        case NEW -> "new run";
                        case RERUN -> "run " + existing.id() + " again (" + why + ")";
                        case SKIP -> "skip: " + why;
                    };
        }
    }

    /** A run to drive: the slot's new or reopened run and the workflow it runs. */
    public record Started(Slot slot, Run run, WorkflowDefinition workflow) {}

    private Backfill() {}

    /**
     * Every firing of {@code cron} from the start of {@code from} to the end of {@code to} (both included), in the
     * zone the schedule fires in (the server's).
     *
     * @throws IllegalArgumentException for a range backwards, a cron Quartz refuses, or more than {@link #MAX_RUNS}
     */
    public static List<Instant> firings(String cron, LocalDate from, LocalDate to) {
        if (cron == null) {
            throw new IllegalArgumentException(
                    "the workflow has no schedule: a backfill makes one run per firing of its 'schedule:'");
        }
        if (to.isBefore(from)) {
            throw new IllegalArgumentException("--to " + to + " is before --from " + from);
        }
        CronExpression expression;
        try {
            expression = new CronExpression(cron);
        } catch (ParseException e) {
            throw new IllegalArgumentException("bad cron expression '" + cron + "': " + e.getMessage(), e);
        }
        ZoneId zone = ZoneId.systemDefault();
        Instant end = to.plusDays(1).atStartOfDay(zone).toInstant();
        List<Instant> firings = new ArrayList<>();
        // the first firing at or after midnight: Quartz gives the one after an instant, so ask from a millisecond
        // before
        Date next = expression.getNextValidTimeAfter(
                Date.from(from.atStartOfDay(zone).toInstant().minusMillis(1)));
        while (next != null && next.toInstant().isBefore(end)) {
            if (firings.size() == MAX_RUNS) {
                throw new IllegalArgumentException("the range " + from + " to " + to + " holds more than " + MAX_RUNS
                        + " firings of '" + cron + "': backfill a shorter range at a time");
            }
            firings.add(next.toInstant());
            next = expression.getNextValidTimeAfter(next);
        }
        return firings;
    }

    /** What a backfill of {@code workflow} over the range does for each firing. */
    public static List<Slot> plan(
            RunStore store, WorkflowDefinition workflow, LocalDate from, LocalDate to, boolean rerun) {
        List<Instant> firings = firings(workflow.schedule(), from, to);
        if (firings.isEmpty()) {
            return List.of();
        }
        Map<Instant, Run> runs = store.slotRuns(
                workflow.id(), firings.get(0), firings.get(firings.size() - 1).plusMillis(1));
        return firings.stream().map(at -> slot(at, runs.get(at), rerun)).toList();
    }

    private static Slot slot(Instant at, Run run, boolean rerun) {
        if (run == null) {
            return new Slot(at, Action.NEW, null, null);
        }
        String state = run.state().name().toLowerCase(Locale.ROOT);
        if (!run.state().finished()) {
            return new Slot(at, Action.SKIP, run, "run " + run.id() + " is " + state);
        }
        if (run.deletedAt() != null) {
            return new Slot(at, Action.SKIP, run, "run " + run.id() + " was deleted");
        }
        if (run.state() == RunState.SUCCEEDED && !rerun) {
            return new Slot(at, Action.SKIP, run, "run " + run.id() + " succeeded (--rerun runs it again)");
        }
        return new Slot(at, Action.RERUN, run, state);
    }

    /**
     * The slot's run, created or reopened; empty when another node made the slot's run meanwhile or none of its
     * tasks needed clearing.
     */
    public static Optional<Started> start(
            Slot slot,
            WorkflowDefinition workflow,
            String yaml,
            Engine engine,
            RunControl control,
            WorkflowLoader loader)
            throws InvalidWorkflowException {
        if (slot.action() == Action.NEW) {
            return engine.createForSlot(workflow, TRIGGER, slot.at(), yaml)
                    .map(run -> new Started(slot, run, workflow));
        }
        if (slot.action() == Action.SKIP) {
            return Optional.empty();
        }
        Run run = slot.existing();
        List<String> again = engine.store().runTasks(run.id()).stream()
                .filter(t -> slot.existing().state() == RunState.SUCCEEDED || t.state() != TaskState.SUCCEEDED)
                .map(RunTask::taskId)
                .collect(Collectors.toList());
        WorkflowDefinition stored = StoredWorkflow.of(run, loader); // the run goes on as it began: its params, its file
        if (control.clearTasks(run.id(), again, false, Instant.now()).isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Started(slot, engine.store().run(run.id()).orElseThrow(), stored));
    }
}
