package io.caravan.core.workflow;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads {@code resources:} (of a task or of {@code defaults:}): {@code cpus}, {@code mem}, {@code gpus} and
 * {@code time}, each one value or a list of one per attempt. A bad unit or a value that is not positive is
 * reported at its own line and column (in a list, at the item), and the field is read as not asked for.
 */
final class ResourcesReader {
    static final Set<String> KEYS = Set.of("cpus", "mem", "gpus", "time");
    /** A GPU type goes into sbatch's --gres and the like: a plain name. */
    private static final Pattern GPU_TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");

    private final Problems problems;
    private final String where;

    private ResourcesReader(Problems problems, String where) {
        this.problems = problems;
        this.where = where;
    }

    /** @param where names the mapping in messages, e.g. "resources of task 'train'" */
    static Resources read(Node node, Problems problems, String where) {
        return new ResourcesReader(problems, where).read(node);
    }

    private Resources read(Node node) {
        Optional<MappingReader> maybe = MappingReader.of(node, problems, where, KEYS);
        if (maybe.isEmpty()) {
            return Resources.NONE;
        }
        MappingReader r = maybe.get();
        return new Resources(
                values(r, "cpus", this::cpus),
                values(r, "mem", this::mem),
                values(r, "gpus", this::gpus),
                values(r, "time", this::time));
    }

    /** One value, or a list of one per attempt; empty when absent or when any of them is wrong. */
    private <T> List<T> values(MappingReader r, String key, Function<Node, T> one) {
        Node node = r.node(key).orElse(null);
        if (node == null) {
            return List.of();
        }
        List<Node> items = node instanceof SequenceNode seq ? seq.getValue() : List.of(node);
        if (items.isEmpty()) {
            problems.at(node, "'" + key + "' in " + where + " is an empty list: give a value, or one per attempt");
            return List.of();
        }
        List<T> values = new ArrayList<>();
        for (Node item : items) {
            T value = one.apply(item);
            if (value != null) {
                values.add(value);
            }
        }
        return values.size() == items.size() ? values : List.of();
    }

    private Integer cpus(Node node) {
        return positive(node, "cpus", where);
    }

    private MemorySize mem(Node node) {
        String text = scalar(node, "mem");
        if (text == null) {
            return null;
        }
        try {
            return MemorySize.parse(text);
        } catch (IllegalArgumentException e) {
            problems.at(node, "'mem' in " + where + ": " + e.getMessage());
            return null;
        }
    }

    private Duration time(Node node) {
        String text = scalar(node, "time");
        if (text == null) {
            return null;
        }
        try {
            Duration time = Durations.parse(text);
            if (time.isZero()) {
                problems.at(node, "'time' in " + where + " must be more than 0, got '" + text + "'");
                return null;
            }
            return time;
        } catch (IllegalArgumentException e) {
            problems.at(node, "'time' in " + where + ": " + e.getMessage());
            return null;
        }
    }

    /** {@code 2}, or {@code { count: 2, type: h100 }}. */
    private GpuRequest gpus(Node node) {
        if (!(node instanceof MappingNode)) {
            Integer count = positive(node, "gpus", where);
            return count == null ? null : GpuRequest.of(count);
        }
        String gpuWhere = "gpus of " + where;
        MappingReader r = MappingReader.of(node, problems, gpuWhere, Set.of("count", "type"))
                .orElseThrow();
        if (!r.has("count")) {
            problems.at(node, gpuWhere + " needs 'count:', the number of GPUs");
            return null;
        }
        Integer count = positive(r.node("count").orElseThrow(), "count", gpuWhere);
        String type = r.text("type").orElse(null);
        if (type != null && !GPU_TYPE.matcher(type).matches()) {
            problems.at(
                    r.node("type").orElseThrow(),
                    "'type' in " + gpuWhere + " must be a GPU model's name like h100 or"
                            + " a100_80g (letters, digits, _ . -), got '" + type + "'");
            return null;
        }
        return count == null ? null : new GpuRequest(count, type);
    }

    private Integer positive(Node node, String key, String in) {
        String text = scalar(node, key);
        if (text == null) {
            return null;
        }
        try {
            int value = Integer.parseInt(text.strip());
            if (value >= 1) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.at(node, "'" + key + "' in " + in + " must be a whole number >= 1, got '" + text + "'");
        return null;
    }

    private String scalar(Node node, String key) {
        if (node instanceof ScalarNode scalar) {
            return scalar.getValue();
        }
        problems.at(
                node,
                "'" + key + "' in " + where + " must be a single value or a list of plain values, one per attempt");
        return null;
    }
}
