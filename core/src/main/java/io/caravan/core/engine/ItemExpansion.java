package io.caravan.core.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import io.caravan.core.workflow.Expand;
import io.caravan.core.workflow.Template;

/** The items of a fan-out, computed when the task is made ready (its upstream outputs exist by then). */
final class ItemExpansion {
    private ItemExpansion() {}

    /** A single-instance task has one item, null. */
    static List<Object> items(Expand expand, Function<Template.Ref, Object> values) {
        if (expand == null) {
            List<Object> one = new ArrayList<>();
            one.add(null);
            return one;
        }
        if (expand.items() != null) {
            return expand.items();
        }
        if (expand.range() != null) {
            Object n = evaluate(expand.range(), values);
            long count;
            try {
                count = n instanceof Number num
                        ? num.longValue()
                        : Long.parseLong(String.valueOf(n).strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "expand range '" + expand.range() + "' is '" + n + "', not a whole number");
            }
            if (count < 0 || count > 1_000_000) {
                throw new IllegalArgumentException(
                        "expand range '" + expand.range() + "' is " + count + ": use 0 to 1000000");
            }
            List<Object> items = new ArrayList<>();
            for (long i = 0; i < count; i++) {
                items.add(i);
            }
            return items;
        }
        Object value = evaluate(expand.itemsFrom(), values);
        if (value instanceof List<?> list) {
            return new ArrayList<>(list);
        }
        Object structured = Json.structured(String.valueOf(value));
        if (structured instanceof List<?> list) {
            return new ArrayList<>(list);
        }
        // plain text: one item per non-empty line, as a shell command would print them
        return new ArrayList<>(String.valueOf(value)
                .lines()
                .map(String::strip)
                .filter(l -> !l.isEmpty())
                .toList());
    }

    private static Object evaluate(Template template, Function<Template.Ref, Object> values) {
        return template.isSingleRef() ? values.apply(template.refs().get(0)) : template.render(values);
    }
}
