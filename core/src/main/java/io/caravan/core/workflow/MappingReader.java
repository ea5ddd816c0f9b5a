package io.caravan.core.workflow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads one YAML mapping of a workflow file: rejects duplicate and unknown keys (suggesting the closest
 * known one) and reads typed values, reporting each problem at its line and column. A value that is
 * wrong is reported and read as absent, so one run of the loader finds every problem.
 */
final class MappingReader {
    private final Problems problems;
    private final String where;
    private final Map<String, NodeTuple> entries = new LinkedHashMap<>();
    private final Node self;

    private MappingReader(Problems problems, String where, Node self) {
        this.problems = problems;
        this.where = where;
        this.self = self;
    }

    /** @param where how to name this mapping in messages, e.g. "task 'prepare'" */
    static Optional<MappingReader> of(Node node, Problems problems, String where, Collection<String> allowedKeys) {
        if (!(node instanceof MappingNode mapping)) {
            problems.at(node, where + " must be a mapping of keys to values");
            return Optional.empty();
        }
        MappingReader reader = new MappingReader(problems, where, node);
        for (NodeTuple tuple : mapping.getValue()) {
            String key = scalarText(tuple.getKeyNode());
            if (key == null) {
                problems.at(tuple.getKeyNode(), "keys in " + where + " must be plain names");
            } else if (reader.entries.containsKey(key)) {
                problems.at(tuple.getKeyNode(), "duplicate key '" + key + "' in " + where);
            } else if (!allowedKeys.contains(key)) {
                problems.at(tuple.getKeyNode(), unknownKey(key, where, allowedKeys));
            } else {
                reader.entries.put(key, tuple);
            }
        }
        return Optional.of(reader);
    }

    /** Every key of a mapping whose keys are names chosen by the user (tasks, params, connections). */
    static Map<String, NodeTuple> entries(Node node, Problems problems, String where) {
        Map<String, NodeTuple> result = new LinkedHashMap<>();
        if (!(node instanceof MappingNode mapping)) {
            problems.at(node, where + " must be a mapping");
            return result;
        }
        for (NodeTuple tuple : mapping.getValue()) {
            String key = scalarText(tuple.getKeyNode());
            if (key == null) {
                problems.at(tuple.getKeyNode(), "names in " + where + " must be plain text");
            } else if (result.putIfAbsent(key, tuple) != null) {
                problems.at(tuple.getKeyNode(), "duplicate name '" + key + "' in " + where);
            }
        }
        return result;
    }

    boolean has(String key) {
        return entries.containsKey(key);
    }

    Set<String> keys() {
        return entries.keySet();
    }

    Optional<Node> node(String key) {
        return Optional.ofNullable(entries.get(key)).map(NodeTuple::getValueNode);
    }

    Optional<Node> keyNode(String key) {
        return Optional.ofNullable(entries.get(key)).map(NodeTuple::getKeyNode);
    }

    Optional<String> text(String key) {
        return node(key).flatMap(n -> {
            String text = scalarText(n);
            if (text == null) {
                problems.at(n, "'" + key + "' in " + where + " must be a single value, not a list or mapping");
            }
            return Optional.ofNullable(text);
        });
    }

    Optional<String> requiredText(String key) {
        if (!has(key)) {
            problems.at(anchor(), where + " needs '" + key + ":'");
        }
        return text(key);
    }

    Optional<Integer> integer(String key, int min) {
        return text(key).flatMap(t -> {
            try {
                int value = Integer.parseInt(t);
                if (value >= min) {
                    return Optional.of(value);
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            problems.at(
                    node(key).orElseThrow(),
                    "'" + key + "' in " + where + " must be a whole number >= " + min + ", got '" + t + "'");
            return Optional.empty();
        });
    }

    Optional<Boolean> bool(String key) {
        return text(key).flatMap(t -> {
            if (t.equals("true") || t.equals("false")) {
                return Optional.of(Boolean.parseBoolean(t));
            }
            problems.at(
                    node(key).orElseThrow(), "'" + key + "' in " + where + " must be true or false, got '" + t + "'");
            return Optional.empty();
        });
    }

    Optional<Duration> duration(String key) {
        return text(key).flatMap(t -> {
            try {
                return Optional.of(Durations.parse(t));
            } catch (IllegalArgumentException e) {
                problems.at(node(key).orElseThrow(), "'" + key + "' in " + where + ": " + e.getMessage());
                return Optional.empty();
            }
        });
    }

    /** A list of plain values; a single value is read as a list of one. */
    List<ScalarNode> scalars(String key) {
        List<ScalarNode> result = new ArrayList<>();
        node(key).ifPresent(n -> {
            List<Node> items = n instanceof SequenceNode seq ? seq.getValue() : List.of(n);
            for (Node item : items) {
                if (item instanceof ScalarNode scalar) {
                    result.add(scalar);
                } else {
                    problems.at(item, "'" + key + "' in " + where + " must list plain names");
                }
            }
        });
        return result;
    }

    /** Where to report a missing key: the mapping itself. */
    Node anchor() {
        return self;
    }

    static String scalarText(Node node) {
        return node instanceof ScalarNode scalar ? scalar.getValue() : null;
    }

    /** The message for a key a mapping does not allow, with the closest allowed one. */
    static String unknownKey(String key, String where, Collection<String> allowedKeys) {
        return "unknown key '" + key + "' in " + where + Suggestions.didYouMean(key, allowedKeys) + "; allowed: "
                + String.join(", ", new TreeSet<>(allowedKeys));
    }
}
