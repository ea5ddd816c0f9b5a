package io.caravan.core.workflow;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * Reads the notification keys and {@code sla:} of a workflow's top level or of a task. A URI is a template with the
 * {@code camel:} task's URI rules ({@link CamelUri}); it may name params and run fields only, since a notification
 * is sent from no task's point of view.
 */
final class NotificationReader {
    static final Set<String> KEYS = Set.of("on_failure", "on_success", "on_retry", "on_late", "sla");

    private NotificationReader() {}

    static Notifications read(MappingReader reader, Map<String, Object> params, Problems problems) {
        Map<NotifyEvent, List<Template>> uris = new EnumMap<>(NotifyEvent.class);
        for (NotifyEvent event : NotifyEvent.values()) {
            List<Template> list = new ArrayList<>();
            for (ScalarNode node : reader.scalars(event.key())) {
                Template uri = uri(node, params, problems);
                if (uri != null) {
                    list.add(uri);
                }
            }
            if (!list.isEmpty()) {
                uris.put(event, List.copyOf(list));
            }
        }
        return new Notifications(uris, reader.duration("sla").orElse(null));
    }

    private static Template uri(ScalarNode node, Map<String, Object> params, Problems problems) {
        String text = node.getValue();
        if (text.isBlank() || !text.contains(":")) {
            problems.at(
                    node,
                    "'" + text
                            + "' is no endpoint URI: write scheme:…, e.g. http://host/hook, smtp://host?to=…, log:alerts");
            return null;
        }
        try {
            Template template = Template.parse(text, Template.Quoting.URI);
            for (Template.Ref ref : template.refs()) {
                String problem = problem(ref, params);
                if (problem != null) {
                    problems.at(node, ref.offset(), ref.written() + ": " + problem);
                }
            }
            return template;
        } catch (TemplateException e) {
            e.problems().forEach(p -> problems.at(node, p.offset(), p.message()));
            return null;
        }
    }

    private static String problem(Template.Ref ref, Map<String, Object> params) {
        List<String> path = ref.path();
        if (ref.root().equals("params")) {
            String name = path.size() < 2 ? "" : path.get(1);
            return path.size() == 2 && params.containsKey(name)
                    ? null
                    : "unknown param '" + name + "'" + Suggestions.didYouMean(name, params.keySet());
        }
        if (ref.root().equals("run")) {
            return path.size() == 2 && WorkflowChecks.RUN_FIELDS.contains(path.get(1))
                    ? null
                    : "run has "
                            + String.join(
                                    ", ",
                                    WorkflowChecks.RUN_FIELDS.stream().sorted().toList());
        }
        return "a notification URI may name params.* and run.* only";
    }
}
