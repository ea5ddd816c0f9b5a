package io.caravan.core.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Params, items and outputs are stored as JSON. */
public final class Json {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {}

    public static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not representable as JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static Object read(String json) {
        if (json == null) {
            return null;
        }
        try {
            return MAPPER.readValue(json, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("invalid JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** A task's text output read as data when it is a JSON array or object; otherwise the text itself. */
    public static Object structured(String text) {
        String t = text.strip();
        if (t.startsWith("[") || t.startsWith("{")) {
            try {
                return MAPPER.readValue(t, Object.class);
            } catch (JsonProcessingException e) {
                return text;
            }
        }
        return text;
    }
}
