package io.caravan.core.workflow;

import java.util.List;
import java.util.Locale;

/** What a declared param holds ({@code type:} in a workflow's {@code params:}). */
public enum ParamType {
    STRING,
    INTEGER,
    NUMBER,
    BOOLEAN,
    DATE,
    LIST;

    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The type a plain {@code params: {x: 8}} entry has: that of its value. */
    static ParamType of(Object value) {
        if (value instanceof Long) {
            return INTEGER;
        }
        if (value instanceof Double) {
            return NUMBER;
        }
        if (value instanceof Boolean) {
            return BOOLEAN;
        }
        if (value instanceof List<?>) {
            return LIST;
        }
        return STRING;
    }
}
