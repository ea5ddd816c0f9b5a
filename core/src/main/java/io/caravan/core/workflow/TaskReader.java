package io.caravan.core.workflow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/** Reads one entry of {@code tasks:}; what depends on other tasks is checked later, by {@link WorkflowChecks}. */
final class TaskReader {
    static final Pattern ID = Pattern.compile("[a-z0-9_-]+");
    private static final Pattern ELEMENT = Pattern.compile("([a-z0-9_]+)\\[(\\d{1,6})]");
    private static final Set<String> COMMON_KEYS = Set.of(
            "depends_on",
            "trigger_rule",
            "retries",
            "retry_delay",
            "timeout",
            "target",
            "expand",
            "max_active",
            "description",
            "on_failure",
            "on_success",
            "on_retry",
            "on_late",
            "sla",
            "resources");

    private final TaskKinds kinds;
    private final TaskDefaults defaults;
    private final Map<String, Object> params;
    private final Problems problems;

    TaskReader(TaskKinds kinds, TaskDefaults defaults, Map<String, Object> params, Problems problems) {
        this.kinds = kinds;
        this.params = params;
        this.defaults = defaults;
        this.problems = problems;
    }

    /**
     * A task with no known type but a key that is none of the allowed ones (a plugin's type whose plugin is not
     * loaded, a typo): one error at that key, not also "has no type"; any further key it does not allow is
     * reported as unknown, so that one validate shows every problem.
     */
    private boolean unknownType(Node node, String where, Set<String> allowed) {
        if (!(node instanceof MappingNode mapping)) {
            return false;
        }
        List<String> keys = mapping.getValue().stream()
                .map(t -> t.getKeyNode() instanceof ScalarNode s ? s.getValue() : null)
                .toList();
        if (keys.stream().anyMatch(k -> k != null && kinds.find(k).isPresent())) {
            return false;
        }
        boolean typeReported = false;
        for (NodeTuple tuple : mapping.getValue()) {
            if (tuple.getKeyNode() instanceof ScalarNode key && !allowed.contains(key.getValue())) {
                problems.at(
                        key,
                        typeReported
                                ? MappingReader.unknownKey(key.getValue(), where, allowed)
                                : where + " has no known type: '" + key.getValue() + "' is none"
                                        + Suggestions.didYouMean(key.getValue(), kinds.keys())
                                        + "; give exactly one of "
                                        + String.join(", ", kinds.keys()) + " (plugins add types: ./caravan plugins)");
                typeReported = true;
            }
        }
        return typeReported;
    }

    Optional<ParsedTask> read(String id, NodeTuple entry) {
        if (!ID.matcher(id).matches()) {
            problems.at(entry.getKeyNode(), "task id '" + id + "' must match [a-z0-9_-]+");
        }
        String where = "task '" + id + "'";
        Set<String> allowed = new LinkedHashSet<>(COMMON_KEYS);
        allowed.addAll(kinds.keys());
        if (unknownType(entry.getValueNode(), where, allowed)) {
            return Optional.empty();
        }
        Optional<MappingReader> maybe = MappingReader.of(entry.getValueNode(), problems, where, allowed);
        if (maybe.isEmpty()) {
            return Optional.empty();
        }
        MappingReader task = maybe.get();
        List<String> typeKeys =
                task.keys().stream().filter(k -> kinds.find(k).isPresent()).toList();
        if (typeKeys.size() != 1) {
            problems.at(
                    typeKeys.isEmpty()
                            ? entry.getKeyNode()
                            : task.keyNode(typeKeys.get(1)).orElseThrow(),
                    where
                            + (typeKeys.isEmpty()
                                    ? " has no type"
                                    : " has more than one type (" + String.join(", ", typeKeys) + ")")
                            + ": give exactly one of " + String.join(", ", kinds.keys()));
            return Optional.empty();
        }
        TaskKind kind = kinds.find(typeKeys.get(0)).orElseThrow();
        List<ParsedTask.TemplateAt> templates = new ArrayList<>();
        Node typeNode = task.node(kind.key()).orElseThrow();
        Template body = null;
        Map<String, Object> options = Map.of();
        if (kind.isScalar()) {
            body = template(task.text(kind.key()).orElse(null), typeNode, kind.quoting(), false, templates);
        } else {
            options = options(kind, typeNode, where, templates);
        }
        Expand expand =
                task.node("expand").map(n -> expand(n, where, templates)).orElse(null);
        List<ScalarNode> deps = task.scalars("depends_on");
        TriggerRule rule = task.text("trigger_rule")
                .map(t -> triggerRule(t, task.node("trigger_rule").orElseThrow()))
                .orElse(TriggerRule.ALL_SUCCESS);
        TaskDefinition definition = new TaskDefinition(
                id,
                kind,
                body,
                options,
                deps.stream().map(ScalarNode::getValue).toList(),
                rule,
                task.integer("retries", 0).orElse(defaults.retries()),
                task.duration("retry_delay").orElse(defaults.retryDelay()),
                task.duration("timeout").orElse(defaults.timeout()),
                task.text("target").orElse(defaults.target()),
                expand,
                task.integer("max_active", 1).orElse(defaults.maxActive()),
                entry.getKeyNode().getStartMark().map(m -> m.getLine() + 1).orElse(0),
                NotificationReader.read(task, params, problems),
                resources(task, kind, where));
        return Optional.of(new ParsedTask(
                definition, entry.getKeyNode(), deps, task.node("target").orElse(null), templates, task.has("expand")));
    }

    /**
     * The task's own resources over those of {@code defaults:}, field by field. Only job tasks have a place whose
     * resources they could ask for: on another task type the key is refused rather than silently ignored.
     */
    private Resources resources(MappingReader task, TaskKind kind, String where) {
        Optional<Node> node = task.node("resources");
        if (kind.isScalar()) {
            if (node.isPresent()) {
                problems.at(
                        task.keyNode("resources").orElseThrow(),
                        where + ": resources: apply to job tasks (remote_job"
                                + " and the job types of plugins, like slurm_job), not to " + kind.key() + ":");
            }
            return Resources.NONE;
        }
        Resources own = node.map(n -> ResourcesReader.read(n, problems, "resources of " + where))
                .orElse(Resources.NONE);
        return own.orElse(defaults.resources());
    }

    private Map<String, Object> options(TaskKind kind, Node node, String where, List<ParsedTask.TemplateAt> templates) {
        Map<String, Object> options = new LinkedHashMap<>();
        MappingReader.of(node, problems, kind.key() + " of " + where, kind.keys())
                .ifPresent(reader -> {
                    for (String key : reader.keys()) {
                        Node value = reader.node(key).orElseThrow();
                        Object java = YamlValues.toJava(value);
                        if (StagingReader.KEYS.contains(key)) {
                            options.put(
                                    key,
                                    StagingReader.read(
                                            key,
                                            value,
                                            problems,
                                            where,
                                            (text, at) ->
                                                    template(text, at, Template.Quoting.PLAIN, false, templates)));
                            continue;
                        }
                        options.put(
                                key,
                                java instanceof String text
                                        ? template(text, value, kind.quoting(key), false, templates)
                                        : value instanceof MappingNode map ? templatedValues(map, templates) : java);
                    }
                    for (Map.Entry<String, String> problem : kind.check().problems(options)) {
                        problems.at(problemNode(reader, problem.getKey(), node), where + ": " + problem.getValue());
                    }
                });
        return options;
    }

    /** Where a check's problem is: at its option, or at the list element an option named {@code name[i]} holds. */
    private static Node problemNode(MappingReader reader, String key, Node otherwise) {
        Matcher element = ELEMENT.matcher(key == null ? "" : key);
        if (element.matches() && reader.node(element.group(1)).orElse(null) instanceof SequenceNode list) {
            int i = Integer.parseInt(element.group(2));
            return i < list.getValue().size() ? list.getValue().get(i) : list;
        }
        return reader.node(key == null ? "" : key).orElse(otherwise);
    }

    /** A mapping option (a job's env): its text values are templates too, of plain values. */
    private Map<String, Object> templatedValues(MappingNode map, List<ParsedTask.TemplateAt> templates) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (NodeTuple entry : map.getValue()) {
            Object value = YamlValues.toJava(entry.getValueNode());
            values.put(
                    String.valueOf(YamlValues.toJava(entry.getKeyNode())),
                    value instanceof String text
                            ? template(text, entry.getValueNode(), Template.Quoting.PLAIN, false, templates)
                            : value);
        }
        return values;
    }

    private Expand expand(Node node, String where, List<ParsedTask.TemplateAt> templates) {
        Optional<MappingReader> maybe =
                MappingReader.of(node, problems, "expand of " + where, Set.of("range", "items"));
        if (maybe.isEmpty()) {
            return null;
        }
        MappingReader reader = maybe.get();
        if (reader.keys().size() != 1) {
            problems.at(node, "expand of " + where + " needs exactly one of 'range' or 'items'");
            return null;
        }
        if (reader.has("range")) {
            return new Expand(
                    template(
                            reader.text("range").orElse(null),
                            reader.node("range").orElseThrow(),
                            Template.Quoting.PLAIN,
                            true,
                            templates),
                    null,
                    null);
        }
        Node items = reader.node("items").orElseThrow();
        if (items instanceof SequenceNode) {
            List<?> values = (List<?>) YamlValues.toJava(items);
            if (values.contains(null)) {
                problems.at(items, "expand of " + where + ": an item is null; write \"\" for an empty one");
                return null;
            }
            return new Expand(null, List.copyOf(values), null);
        }
        return new Expand(
                null,
                null,
                template(reader.text("items").orElse(null), items, Template.Quoting.PLAIN, true, templates));
    }

    /** A template, each of whose problems (a bad reference, a value where no quoting is safe) is reported at its '{{'. */
    private Template template(
            String text, Node node, Template.Quoting quoting, boolean inExpand, List<ParsedTask.TemplateAt> templates) {
        if (text == null) {
            return null;
        }
        try {
            Template template = Template.parse(text, quoting);
            templates.add(new ParsedTask.TemplateAt(template, node, inExpand));
            return template;
        } catch (TemplateException e) {
            e.problems().forEach(p -> problems.at(node, p.offset(), p.message()));
            return null;
        }
    }

    private TriggerRule triggerRule(String text, Node node) {
        for (TriggerRule rule : TriggerRule.values()) {
            if (rule.yamlName().equals(text)) {
                return rule;
            }
        }
        List<String> names =
                Arrays.stream(TriggerRule.values()).map(TriggerRule::yamlName).toList();
        problems.at(
                node,
                "unknown trigger_rule '" + text + "'" + Suggestions.didYouMean(text, names) + "; use one of "
                        + String.join(", ", names));
        return TriggerRule.ALL_SUCCESS;
    }
}
