package io.caravan.core.workflow;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;

import io.caravan.core.staging.StageEntry;
import io.caravan.core.staging.StagePlan;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads a job task's {@code stage_in:} / {@code stage_out:} lists, each problem at its line and column. A line becomes
 * a map of {@code from} and {@code to} (templates), {@code optional}, {@code when} and {@code base}, the workflow file's
 * directory, against which the executor resolves relative local paths ({@link StagePlan#of}).
 */
final class StagingReader {
    static final Set<String> KEYS = Set.of(StagePlan.IN, StagePlan.OUT);
    private static final Set<String> IN_KEYS = Set.of("from", "to", "optional");
    private static final Set<String> OUT_KEYS = Set.of("from", "to", "optional", "when");
    private static final Set<String> WHEN = Set.of("on_success", "always");

    private StagingReader() {}

    static List<Map<String, Object>> read(
            String key, Node value, Problems problems, String where, BiFunction<String, Node, Template> template) {
        boolean in = key.equals(StagePlan.IN);
        String what = key + " of " + where;
        if (!(value instanceof SequenceNode list)) {
            problems.at(value, what + " must be a list of { from, to" + (in ? "" : ", when") + ", optional }");
            return List.of();
        }
        Path file = problems.file();
        Path dir = file == null
                ? Path.of("").toAbsolutePath()
                : file.toAbsolutePath().getParent();
        List<Map<String, Object>> lines = new ArrayList<>();
        for (Node item : list.getValue()) {
            MappingReader.of(item, problems, what, in ? IN_KEYS : OUT_KEYS).ifPresent(line -> {
                String from = line.requiredText("from").orElse(null);
                String to = line.text("to").orElse(null);
                if (!in && !line.has("to")) {
                    problems.at(item, what + " needs 'to:', the local path the file goes to");
                } else if (from != null && !from.contains("{{") && (to == null || !to.contains("{{"))) {
                    String problem = in ? StageEntry.problemIn(from, to) : StageEntry.problemOut(from, to);
                    if (problem != null) {
                        Node at = problem.startsWith("'to'")
                                ? line.node("to").orElse(item)
                                : line.node("from").orElse(item);
                        problems.at(at, what + ": " + problem);
                    }
                }
                Map<String, Object> map = new LinkedHashMap<>();
                map.put(
                        "from",
                        from == null
                                ? null
                                : template.apply(from, line.node("from").orElseThrow()));
                if (to != null) {
                    map.put("to", template.apply(to, line.node("to").orElseThrow()));
                }
                line.bool("optional").ifPresent(o -> map.put("optional", o));
                line.text("when").ifPresent(w -> {
                    if (!WHEN.contains(w)) {
                        problems.at(
                                line.node("when").orElseThrow(),
                                what + ": 'when' must be on_success or always, got '" + w + "'");
                    }
                    map.put("when", w);
                });
                map.put(StagePlan.BASE, dir == null ? "" : dir.toString());
                lines.add(map);
            });
        }
        return lines;
    }
}
