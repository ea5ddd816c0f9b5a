package io.caravan.core.workflow;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One declared param and its rules; {@link #parse} is the one check every trigger's value goes through ({@code --set},
 * the API, the UI's form, {@code caravan:trigger}), so each answers a bad value with the same field and rule.
 *
 * @param min         inclusive lower bound of an integer or number, else null
 * @param max         inclusive upper bound of an integer or number, else null
 * @param choices     the values a string may take ({@code enum:}), empty for any
 * @param pattern     a regular expression a string must match as a whole, else null
 * @param typed       declared with {@code type:} (not the plain {@code name: value} form)
 */
public record ParamSpec(
        String name,
        ParamType type,
        Object defaultValue,
        Double min,
        Double max,
        List<String> choices,
        Pattern pattern,
        String description,
        boolean typed) {

    public ParamSpec {
        choices = List.copyOf(choices);
    }

    /** A plain {@code name: value} entry: typed like its value, with no other rule. */
    static ParamSpec plain(String name, Object value) {
        return new ParamSpec(name, ParamType.of(value), value, null, null, List.of(), null, null, false);
    }

    /**
     * A value given as text (the command line, a form, a JSON body's value) as this param's type.
     *
     * @throws IllegalArgumentException naming the param and the rule it breaks
     */
    public Object parse(String given) {
        if (!typed && type == ParamType.STRING && !(defaultValue instanceof String) && defaultValue != null) {
            return given; // a plain param whose default is a mapping or null: taken as given, as before
        }
        Object value = switch (type) {
            case STRING, DATE -> given;
            case INTEGER -> convert(given, () -> Long.parseLong(given.strip()), "a whole number");
            case NUMBER -> convert(given, () -> Double.parseDouble(given.strip()), "a number");
            case BOOLEAN -> {
                if (!given.equals("true") && !given.equals("false")) {
                    throw broken(given, "is not true or false (type: boolean)");
                }
                yield Boolean.parseBoolean(given);
            }
            case LIST -> list(given);
        };
        return check(value);
    }

    /**
     * A value that already has a Java type (a default in the file): checked against the rules.
     *
     * @throws IllegalArgumentException naming the param and the rule it breaks
     */
    Object check(Object value) {
        switch (type) {
            case INTEGER -> {
                if (!(value instanceof Long)) {
                    throw broken(value, "is not a whole number (type: integer)");
                }
                bounds(value, ((Long) value).doubleValue());
            }
            case NUMBER -> {
                if (!(value instanceof Number n)) {
                    throw broken(value, "is not a number (type: number)");
                }
                bounds(value, n.doubleValue());
                return n.doubleValue();
            }
            case BOOLEAN -> {
                if (!(value instanceof Boolean)) {
                    throw broken(value, "is not true or false (type: boolean)");
                }
            }
            case DATE -> {
                try {
                    LocalDate.parse(String.valueOf(value));
                } catch (DateTimeParseException e) {
                    throw broken(value, "is not a date as YYYY-MM-DD (type: date)");
                }
                return String.valueOf(value);
            }
            case LIST -> {
                if (!(value instanceof List<?>)) {
                    throw broken(value, "is not a list (type: list)");
                }
            }
            case STRING -> {
                if (!(value instanceof String text)) {
                    throw broken(value, "is not text (type: string)");
                }
                if (!choices.isEmpty() && !choices.contains(text)) {
                    throw broken(value, "is not one of " + String.join(", ", choices) + " (enum)");
                }
                if (pattern != null && !pattern.matcher(text).matches()) {
                    throw broken(value, "does not match the pattern " + pattern.pattern() + " (pattern)");
                }
            }
        }
        return value;
    }

    /** What a form needs to offer this param: {@code type}, {@code default} and each rule that is set. */
    public Map<String, Object> view() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("type", type.yamlName());
        v.put("default", defaultValue);
        if (min != null) {
            v.put("min", type == ParamType.INTEGER ? (Object) min.longValue() : min);
        }
        if (max != null) {
            v.put("max", type == ParamType.INTEGER ? (Object) max.longValue() : max);
        }
        if (!choices.isEmpty()) {
            v.put("enum", choices);
        }
        if (pattern != null) {
            v.put("pattern", pattern.pattern());
        }
        if (description != null) {
            v.put("description", description);
        }
        return v;
    }

    private void bounds(Object value, double n) {
        if (min != null && n < min) {
            throw broken(value, "is less than the minimum " + view().get("min") + " (min)");
        }
        if (max != null && n > max) {
            throw broken(value, "is more than the maximum " + view().get("max") + " (max)");
        }
    }

    /** A list from text: a comma-separated {@code a,b,c}, brackets around it allowed; items are text. */
    private static List<Object> list(String given) {
        String text = given.strip();
        if (text.startsWith("[") && text.endsWith("]")) {
            text = text.substring(1, text.length() - 1);
        }
        List<Object> items = new ArrayList<>();
        if (!text.isBlank()) {
            for (String part : text.split(",", -1)) {
                items.add(part.strip());
            }
        }
        return items;
    }

    private interface Conversion {
        Object apply();
    }

    private Object convert(String given, Conversion conversion, String expected) {
        try {
            return conversion.apply();
        } catch (NumberFormatException e) {
            throw broken(given, "is not " + expected + " (type: " + type.yamlName() + ")");
        }
    }

    private IllegalArgumentException broken(Object value, String rule) {
        String shown = String.valueOf(value);
        shown = shown.length() > 60 ? shown.substring(0, 60) + "…" : shown;
        return new IllegalArgumentException("param '" + name + "': '" + shown + "' " + rule);
    }
}
