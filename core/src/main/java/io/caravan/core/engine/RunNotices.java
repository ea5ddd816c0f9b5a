package io.caravan.core.engine;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.caravan.core.notify.LogTail;
import io.caravan.core.notify.Notification;
import io.caravan.core.notify.Notifier;
import io.caravan.core.runs.RunState;
import io.caravan.core.runs.TaskState;
import io.caravan.core.storage.AttemptEnd;
import io.caravan.core.storage.RunTask;
import io.caravan.core.workflow.Durations;
import io.caravan.core.workflow.Notifications;
import io.caravan.core.workflow.NotifyEvent;
import io.caravan.core.workflow.TaskDefinition;
import io.caravan.core.workflow.Template;
import io.caravan.core.workflow.WorkflowDefinition;

/**
 * Which notifications one run's events call for, and its SLA deadlines. A task's on_failure is sent once an
 * instance's last attempt has failed, its on_retry for each retry, its on_success once when the task has succeeded
 * (all its items: a fan-out of 10 000 is one message, not 10 000); the workflow's
 * on_failure and on_success when the run ends, its on_retry for every task's retries, its on_late when the run's
 * sla passes (and for a task's sla when the task names no on_late of its own). Each deadline fires once.
 */
final class RunNotices {
    private static final System.Logger LOG = System.getLogger(RunNotices.class.getName());
    private final String runId;
    private final WorkflowDefinition workflow;
    private final Notifier notifier;
    private final RunValues values;
    private final String logicalDate;
    /** Deadlines not fired yet, by task id; the run's under {@link #RUN}. */
    private final Map<String, Instant> deadlines = new ConcurrentHashMap<>();

    private static final String RUN = "";

    RunNotices(String runId, WorkflowDefinition workflow, Notifier notifier, RunValues values, Instant logicalStart) {
        this.runId = runId;
        this.workflow = workflow;
        this.notifier = notifier;
        this.values = values;
        this.logicalDate = logicalStart.toString();
        if (workflow.notifications().sla() != null) {
            deadlines.put(RUN, logicalStart.plus(workflow.notifications().sla()));
        }
        for (TaskDefinition task : workflow.tasks().values()) {
            Duration sla = task.notifications().sla();
            if (sla != null) {
                deadlines.put(task.id(), logicalStart.plus(sla));
            }
        }
    }

    /** An attempt whose end this engine recorded: a retry or a failure for good (a success is told for the task). */
    void attemptEnded(TaskInvocation invocation, AttemptEnd end) {
        if (end.state() == TaskState.SUCCEEDED) {
            return;
        }
        TaskDefinition task = invocation.task();
        NotifyEvent event = end.retryAt() != null ? NotifyEvent.RETRY : NotifyEvent.FAILURE;
        List<Template> uris = new ArrayList<>(task.notifications().of(event));
        if (event == NotifyEvent.RETRY) {
            uris.addAll(workflow.notifications().of(event));
        }
        String state =
                end.retryAt() != null ? "up_for_retry" : end.state().name().toLowerCase(Locale.ROOT);
        send(
                event,
                uris,
                task.id(),
                invocation.item(),
                invocation.attempt(),
                state,
                end.error(),
                LogTail.of(end.logPath(), Notification.LOG_LINES));
    }

    /** A task all of whose items succeeded. */
    void taskSucceeded(TaskDefinition task) {
        send(
                NotifyEvent.SUCCESS,
                task.notifications().of(NotifyEvent.SUCCESS),
                task.id(),
                null,
                null,
                "succeeded",
                null,
                List.of());
    }

    /** A task that failed before any attempt (its items could not be worked out). */
    void taskFailed(TaskDefinition task, String reason) {
        send(
                NotifyEvent.FAILURE,
                task.notifications().of(NotifyEvent.FAILURE),
                task.id(),
                null,
                null,
                "failed",
                reason,
                List.of());
    }

    void runEnded(RunState end, List<String> failedTasks) {
        runEnded(end, failedTasks, failedTasks.isEmpty() ? null : "failed tasks: " + String.join(", ", failedTasks));
    }

    /** The run's end with why it ended so (a timeout, say). */
    void runEnded(RunState end, List<String> failedTasks, String reason) {
        NotifyEvent event =
                end == RunState.SUCCEEDED ? NotifyEvent.SUCCESS : end == RunState.FAILED ? NotifyEvent.FAILURE : null;
        deadlines.clear();
        if (event != null) {
            send(
                    event,
                    workflow.notifications().of(event),
                    null,
                    null,
                    null,
                    end.name().toLowerCase(Locale.ROOT),
                    reason,
                    List.of());
        }
    }

    /** Fires on_late for each deadline passed by a task or run not done yet; a cheap map walk while none has. */
    void checkLate(Map<String, RunTask> tasks, Instant now) {
        if (deadlines.isEmpty()) {
            return;
        }
        for (Map.Entry<String, Instant> deadline : new LinkedHashMap<>(deadlines).entrySet()) {
            String id = deadline.getKey();
            RunTask record = id.equals(RUN) ? null : tasks.get(id);
            if (record != null && record.state().finished()) {
                deadlines.remove(id); // done in time (or ended otherwise): never late
                continue;
            }
            if (now.isBefore(deadline.getValue()) || deadlines.remove(id) == null) {
                continue;
            }
            Notifications own = id.equals(RUN)
                    ? workflow.notifications()
                    : workflow.tasks().get(id).notifications();
            List<Template> uris = own.of(NotifyEvent.LATE).isEmpty()
                    ? workflow.notifications().of(NotifyEvent.LATE)
                    : own.of(NotifyEvent.LATE);
            send(
                    NotifyEvent.LATE,
                    uris,
                    id.equals(RUN) ? null : id,
                    null,
                    null,
                    record == null ? "running" : record.state().name().toLowerCase(Locale.ROOT),
                    "not done " + Durations.format(own.sla()) + " after the run's logical start " + logicalDate,
                    List.of());
        }
    }

    private void send(
            NotifyEvent event,
            List<Template> templates,
            String task,
            Object item,
            Integer attempt,
            String state,
            String reason,
            List<String> logTail) {
        if (templates.isEmpty()) {
            return;
        }
        Set<String> uris = new LinkedHashSet<>();
        for (Template template : templates) {
            try {
                uris.add(template.render(values.with(null)));
            } catch (IllegalArgumentException e) { // a param's value no URI can carry: the others still go
                LOG.log(
                        System.Logger.Level.WARNING,
                        "run " + runId + ": " + event.key() + " endpoint not sent to: " + e.getMessage());
            }
        }
        if (!uris.isEmpty()) {
            notifier.send(new Notification(
                    event,
                    List.copyOf(uris),
                    workflow.id(),
                    runId,
                    logicalDate,
                    task,
                    item,
                    attempt,
                    state,
                    reason,
                    logTail));
        }
    }
}
