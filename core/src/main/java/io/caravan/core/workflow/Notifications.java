package io.caravan.core.workflow;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The {@code on_failure:}, {@code on_success:}, {@code on_retry:}, {@code on_late:} endpoint URIs and the
 * {@code sla:} of a workflow or a task (SPEC §5). URIs are {@link Template}s under the {@code camel:} task's URI
 * rules, naming only {@code params.*} and {@code run.*}.
 *
 * @param uris by event; an event without URIs is absent
 * @param sla  how long after the run's logical start the workflow or task is to be done, or null for none
 */
public record Notifications(Map<NotifyEvent, List<Template>> uris, Duration sla) {
    public static final Notifications NONE = new Notifications(Map.of(), null);

    public Notifications {
        uris = Map.copyOf(uris);
    }

    public List<Template> of(NotifyEvent event) {
        return uris.getOrDefault(event, List.of());
    }

    public boolean isEmpty() {
        return uris.isEmpty() && sla == null;
    }
}
