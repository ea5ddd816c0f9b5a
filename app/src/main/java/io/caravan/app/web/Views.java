package io.caravan.app.web;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import io.caravan.core.engine.Json;
import io.caravan.core.runs.TaskState;
import io.caravan.core.storage.Run;
import io.caravan.core.storage.TaskInstance;

/** How records look in the API's JSON: snake_case keys, ISO times, lower-case states, never a secret. */
final class Views {
    private Views() {}

    static String time(Instant t) {
        return t == null ? null : t.toString();
    }

    static String state(Enum<?> state) {
        return state.name().toLowerCase(Locale.ROOT);
    }

    /** The grid's letter for an item state (docs/api.md). */
    static char letter(TaskState state) {
        return switch (state) {
            case PENDING -> 'P';
            case READY -> 'Q';
            case RUNNING -> 'R';
            case SUCCEEDED -> 'S';
            case FAILED -> 'F';
            case UPSTREAM_FAILED -> 'U';
            case SKIPPED -> 'K';
            case CANCELLED -> 'C';
        };
    }

    static Map<String, Object> run(Run r, Instant now) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("id", r.id());
        v.put("workflow", r.workflowId());
        v.put("state", state(r.state()));
        v.put("trigger", r.trigger());
        v.put("reason", r.reason());
        v.put("created_at", time(r.createdAt()));
        v.put("started_at", time(r.startedAt()));
        v.put("ended_at", time(r.endedAt()));
        v.put(
                "duration_ms",
                r.startedAt() == null
                        ? null
                        : Duration.between(r.startedAt(), r.endedAt() != null ? r.endedAt() : now)
                                .toMillis());
        return v;
    }

    static Map<String, Object> item(TaskInstance i) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("index", i.itemIndex());
        v.put("item", i.itemJson() == null ? null : Json.read(i.itemJson()));
        v.put("state", state(i.state()));
        v.put("attempt", i.attempt());
        v.put("max_attempts", i.maxAttempts());
        v.put("error", i.error());
        v.put("host", i.host());
        v.put("started_at", time(i.startedAt()));
        v.put("ended_at", time(i.endedAt()));
        return v;
    }
}
