package io.caravan.core.notify;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.caravan.core.workflow.NotifyEvent;

/**
 * One event to tell the endpoints of a workflow or task about (SPEC §5, notifications).
 *
 * @param uris        rendered endpoint URIs; they may hold secrets, so they are never part of the body
 * @param logicalDate the run's cron slot, or its start for a run started otherwise (ISO-8601)
 * @param task        null for an event of the whole run
 * @param attempt     null for an event of the whole run or of a task not started
 * @param logTail     at most the last {@link #LOG_LINES} lines of the attempt's log
 */
public record Notification(
        NotifyEvent event,
        List<String> uris,
        String workflow,
        String runId,
        String logicalDate,
        String task,
        Object item,
        Integer attempt,
        String state,
        String reason,
        List<String> logTail) {
    public static final int LOG_LINES = 20;

    public Notification {
        uris = List.copyOf(uris);
        logTail = List.copyOf(logTail);
    }

    /** The JSON body's fields; {@code link} is the run's page, or null when the server's public URL is not set. */
    public Map<String, Object> body(String link) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("event", event.key());
        body.put("workflow", workflow);
        body.put("run_id", runId);
        body.put("logical_date", logicalDate);
        body.put("task", task);
        body.put("item", item);
        body.put("attempt", attempt);
        body.put("state", state);
        body.put("reason", reason);
        body.put("log_tail", logTail);
        body.put("link", link);
        return body;
    }

    /** "caravan: workflow/task failure", a mail's subject. */
    public String subject() {
        return "caravan: " + workflow + (task == null ? "" : "/" + task) + " " + event.word() + " (run " + runId + ")";
    }
}
