package io.caravan.core.engine;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import io.caravan.core.workflow.Template;
import io.caravan.spi.posix.ShellQuote;

/**
 * What templates of one run can name: params, run fields, the current item and upstream outputs.
 * Upstream outputs are looked up through a function, so only the ones a template uses are loaded.
 */
final class RunValues {
    private final Map<String, Object> params;
    private final Map<String, Object> run;
    private final Function<String, Object> outputs;

    RunValues(
            String runId,
            String workflowId,
            Instant created,
            Map<String, Object> params,
            Function<String, Object> outputs) {
        this.params = params;
        this.run = Map.of(
                "id",
                runId,
                "workflow",
                workflowId,
                "date",
                created.atOffset(ZoneOffset.UTC).toLocalDate().toString(),
                "timestamp",
                created.toString());
        this.outputs = outputs;
    }

    /**
     * The names as seen by one item. The item reaches a job's environment ($ITEM) even where no template names it,
     * so its text must be carriable too.
     *
     * @throws IllegalArgumentException if it holds a NUL character or text that is not Unicode
     */
    Function<Template.Ref, Object> with(Object item) {
        carriable(item);
        return ref -> {
            List<String> path = ref.path();
            return switch (ref.root()) {
                case "params" -> descend(params.get(path.get(1)), path.subList(2, path.size()), ref);
                case "run" -> run.get(path.get(1));
                case "item" -> descend(item, path.subList(1, path.size()), ref);
                case "tasks" -> descend(outputs.apply(path.get(1)), path.subList(3, path.size()), ref);
                default -> throw new IllegalArgumentException("unknown name in {{ " + ref.dotted() + " }}");
            };
        };
    }

    private static void carriable(Object item) {
        if (item instanceof String text) {
            try {
                ShellQuote.carriable(text);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("the item: " + e.getMessage(), e);
            }
        } else if (item instanceof Map<?, ?> map) {
            map.forEach((name, value) -> {
                carriable(name);
                carriable(value);
            });
        } else if (item instanceof List<?> list) {
            list.forEach(RunValues::carriable);
        }
    }

    private static Object descend(Object value, List<String> fields, Template.Ref ref) {
        Object v = value;
        for (String field : fields) {
            if (!(v instanceof Map<?, ?> map) || !map.containsKey(field)) {
                throw new IllegalArgumentException(
                        "{{ " + ref.dotted() + " }}: no field '" + field + "' in " + Json.write(v));
            }
            v = map.get(field);
        }
        return v;
    }
}
