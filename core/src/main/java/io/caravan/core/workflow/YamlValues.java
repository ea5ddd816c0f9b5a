package io.caravan.core.workflow;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/** Plain Java values (String, Long, Double, Boolean, List, Map) from YAML nodes, as YAML 1.2's core schema types them. */
final class YamlValues {
    private YamlValues() {}

    static Object toJava(Node node) {
        if (node instanceof SequenceNode seq) {
            List<Object> list = new ArrayList<>();
            seq.getValue().forEach(n -> list.add(toJava(n)));
            return list;
        }
        if (node instanceof MappingNode mapping) {
            Map<String, Object> map = new LinkedHashMap<>();
            for (NodeTuple t : mapping.getValue()) {
                map.put(String.valueOf(toJava(t.getKeyNode())), toJava(t.getValueNode()));
            }
            return map;
        }
        ScalarNode scalar = (ScalarNode) node;
        String text = scalar.getValue();
        Tag tag = scalar.getTag();
        if (Tag.INT.equals(tag)) {
            return whole(scalar, text);
        }
        if (Tag.FLOAT.equals(tag)) {
            return Double.parseDouble(text);
        }
        if (Tag.BOOL.equals(tag)) {
            return Boolean.parseBoolean(text);
        }
        if (Tag.NULL.equals(tag)) {
            return null;
        }
        return text;
    }

    /** Adds each scalar value under {@code key} in {@code node}, each node visited once (an alias is not a second visit). */
    static void valuesOf(String key, Node node, Set<String> found) {
        Set<Node> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Node> todo = new ArrayDeque<>(List.of(node));
        while (!todo.isEmpty()) {
            Node n = todo.pop();
            if (!seen.add(n)) {
                continue;
            }
            if (n instanceof SequenceNode seq) {
                seq.getValue().forEach(todo::push);
            } else if (n instanceof MappingNode mapping) {
                for (NodeTuple t : mapping.getValue()) {
                    if (t.getKeyNode() instanceof ScalarNode k
                            && k.getValue().equals(key)
                            && t.getValueNode() instanceof ScalarNode v) {
                        found.add(v.getValue());
                    }
                    todo.push(t.getValueNode());
                }
            }
        }
    }

    /** A value the file writes that Java cannot hold: reported at its place, as the file's problem. */
    static final class BadValue extends IllegalArgumentException {
        final transient Node node;

        BadValue(Node node, String message) {
            super(message);
            this.node = node;
        }
    }

    /** Integers as the JSON schema types them (SnakeYAML's default): any too large for a long is refused. */
    private static Long whole(ScalarNode scalar, String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new BadValue(
                    scalar,
                    "the number " + abbreviated(text) + " is out of range: whole numbers go from " + Long.MIN_VALUE
                            + " to " + Long.MAX_VALUE + " (quote it to keep it as text)");
        }
    }

    private static String abbreviated(String text) {
        return text.length() <= 40 ? text : text.substring(0, 20) + "…(" + text.length() + " digits)";
    }
}
