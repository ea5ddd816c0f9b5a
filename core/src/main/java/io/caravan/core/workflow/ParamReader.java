package io.caravan.core.workflow;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;

/**
 * A workflow's {@code params:}: each entry either a plain {@code name: value} or a declaration
 * {@code name: {type: integer, default: 8, min: 1, ...}} (a mapping with {@code type:}); every bad declaration is a
 * problem at its place, and then every {@code --set} value is checked by its {@link ParamSpec}.
 */
final class ParamReader {
    private static final Set<String> KEYS = Set.of("type", "default", "min", "max", "enum", "pattern", "description");

    private ParamReader() {}

    /** The declared params and the values a run starts with: defaults, then {@code overrides} each checked. */
    static Map<String, Object> values(MappingReader top, Map<String, String> overrides, Problems problems) {
        Map<String, NodeTuple> declared = top.node("params")
                .map(n -> MappingReader.entries(n, problems, "params"))
                .orElse(Map.of());
        Map<String, ParamSpec> specs = specs(declared, problems);
        Map<String, Object> params = new LinkedHashMap<>();
        // a param whose declaration is bad is still declared: templates naming it get no second problem
        declared.keySet()
                .forEach(name -> params.put(
                        name, specs.containsKey(name) ? specs.get(name).defaultValue() : null));
        overrides.forEach((name, value) -> {
            ParamSpec spec = specs.get(name);
            if (spec == null) {
                if (!declared.containsKey(name)) {
                    problems.at(
                            top.keyNode("params").orElse(top.anchor()),
                            "--set " + name + "=" + value + ": unknown param '" + name + "'"
                                    + Suggestions.didYouMean(name, specs.keySet()) + "; declared: "
                                    + String.join(", ", specs.keySet()));
                }
                return;
            }
            try {
                params.put(name, spec.parse(value));
            } catch (IllegalArgumentException e) {
                problems.at(declared.get(name).getValueNode(), "--set " + name + "=" + value + ": " + e.getMessage());
            }
        });
        return params;
    }

    /** The specs of a {@code params:} mapping's entries; an entry whose declaration is bad is left out (and reported). */
    static Map<String, ParamSpec> specs(Map<String, NodeTuple> declared, Problems problems) {
        Map<String, ParamSpec> specs = new LinkedHashMap<>();
        declared.forEach((name, tuple) -> {
            Node value = tuple.getValueNode();
            if (value instanceof MappingNode m
                    && m.getValue().stream()
                            .anyMatch(t -> t.getKeyNode() instanceof ScalarNode k
                                    && k.getValue().equals("type"))) {
                declaration(name, value, problems).ifPresent(spec -> specs.put(name, spec));
            } else {
                specs.put(name, ParamSpec.plain(name, YamlValues.toJava(value)));
            }
        });
        return specs;
    }

    private static Optional<ParamSpec> declaration(String name, Node node, Problems problems) {
        String where = "param '" + name + "'";
        Optional<MappingReader> read = MappingReader.of(node, problems, where, KEYS);
        if (read.isEmpty()) {
            return Optional.empty();
        }
        MappingReader r = read.get();
        int before = problems.count();
        ParamType type = r.text("type")
                .flatMap(t -> type(t, r.node("type").orElseThrow(), where, problems))
                .orElse(null);
        Double min = number(r, "min", where, problems);
        Double max = number(r, "max", where, problems);
        List<String> choices =
                r.node("enum").map(n -> choices(n, where, problems)).orElse(List.of());
        Pattern pattern = r.text("pattern")
                .map(p -> pattern(p, r.node("pattern").orElseThrow(), where, problems))
                .orElse(null);
        if (type != null && (min != null || max != null) && type != ParamType.INTEGER && type != ParamType.NUMBER) {
            problems.at(
                    r.keyNode(min != null ? "min" : "max").orElseThrow(),
                    where + ": min and max apply to integer and number params, not " + type.yamlName());
        }
        if (type != null && (!choices.isEmpty() || pattern != null) && type != ParamType.STRING) {
            problems.at(
                    r.keyNode(pattern != null ? "pattern" : "enum").orElseThrow(),
                    where + ": enum and pattern apply to string params, not " + type.yamlName());
        }
        if (!r.has("default")) {
            problems.at(r.anchor(), where + " needs 'default:' (the value a run starts with when no value is given)");
        }
        if (type == null || problems.count() > before) {
            return Optional.empty();
        }
        Node defaultNode = r.node("default").orElseThrow();
        ParamSpec spec = new ParamSpec(
                name,
                type,
                null,
                min,
                max,
                choices,
                pattern,
                r.text("description").orElse(null),
                true);
        try {
            Object given = YamlValues.toJava(defaultNode);
            Object checked = type == ParamType.STRING || type == ParamType.DATE
                    ? spec.check(given instanceof String ? given : given == null ? null : String.valueOf(given))
                    : spec.check(given);
            return Optional.of(
                    new ParamSpec(name, type, checked, min, max, choices, pattern, spec.description(), true));
        } catch (IllegalArgumentException e) {
            problems.at(defaultNode, "default of " + e.getMessage());
            return Optional.empty();
        }
    }

    private static Optional<ParamType> type(String text, Node node, String where, Problems problems) {
        for (ParamType t : ParamType.values()) {
            if (t.yamlName().equals(text)) {
                return Optional.of(t);
            }
        }
        List<String> names =
                Arrays.stream(ParamType.values()).map(ParamType::yamlName).toList();
        problems.at(
                node,
                where + ": unknown type '" + text + "'" + Suggestions.didYouMean(text, names) + "; types: "
                        + String.join(", ", names));
        return Optional.empty();
    }

    private static Double number(MappingReader r, String key, String where, Problems problems) {
        return r.text(key)
                .map(t -> {
                    try {
                        return Double.parseDouble(t);
                    } catch (NumberFormatException e) {
                        problems.at(
                                r.node(key).orElseThrow(), where + ": '" + key + "' must be a number, got '" + t + "'");
                        return null;
                    }
                })
                .orElse(null);
    }

    private static List<String> choices(Node node, String where, Problems problems) {
        Object value = YamlValues.toJava(node);
        if (!(value instanceof List<?> list)
                || list.isEmpty()
                || list.stream().anyMatch(v -> v instanceof List<?> || v instanceof Map<?, ?> || v == null)) {
            problems.at(node, where + ": 'enum' must be a list of values, e.g. [small, large]");
            return List.of();
        }
        return list.stream().map(String::valueOf).toList();
    }

    private static Pattern pattern(String text, Node node, String where, Problems problems) {
        try {
            return Pattern.compile(text);
        } catch (PatternSyntaxException e) {
            problems.at(node, where + ": bad pattern: " + e.getDescription());
            return null;
        }
    }
}
