package io.caravan.app.web;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.caravan.core.engine.Json;

/**
 * What a handler gets: path and query parameters by name (a path parameter wins over a query parameter of the
 * same name), and the body text of a POST. Never a request header.
 */
record ApiRequest(Map<String, String> params, String body) {

    /** @param rawQuery the query string as sent, still URL-encoded; null when there is none */
    static ApiRequest of(Map<String, String> path, String rawQuery, String body) {
        Map<String, String> params = new LinkedHashMap<>(query(rawQuery));
        params.putAll(path);
        return new ApiRequest(params, body);
    }

    /** {@code a=1&b=x%20y}: the first value of each name counts. */
    private static Map<String, String> query(String raw) {
        Map<String, String> params = new LinkedHashMap<>();
        if (raw == null || raw.isEmpty()) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            try {
                String name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                params.putIfAbsent(name, value);
            } catch (IllegalArgumentException e) {
                throw ApiError.badRequest("the query string is not valid URL encoding: " + e.getMessage());
            }
        }
        return params;
    }

    String text(String name) {
        String value = params.get(name);
        return value == null || value.isBlank() ? null : value;
    }

    String required(String name) {
        String value = text(name);
        if (value == null) {
            throw ApiError.badRequest("missing '" + name + "'");
        }
        return value;
    }

    int integer(String name, int otherwise, int max) {
        String value = text(name);
        if (value == null) {
            return otherwise;
        }
        try {
            int n = Integer.parseInt(value);
            if (n < 0 || n > max) {
                throw ApiError.badRequest("'" + name + "' must be between 0 and " + max + ", got " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("'" + name + "' must be a whole number, got '" + value + "'");
        }
    }

    long number(String name) {
        String value = required(name);
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ApiError.badRequest("'" + name + "' must be a whole number, got '" + value + "'");
        }
    }

    /**
     * The body as a JSON object, empty when there is no body; anything else is a 400 naming the problem.
     *
     * @param shape what the body should look like, for the error message
     */
    Map<?, ?> jsonObject(String shape) {
        if (body == null || body.isBlank()) {
            return Map.of();
        }
        Object parsed;
        try {
            parsed = Json.read(body);
        } catch (IllegalArgumentException e) {
            String where = e.getCause() instanceof JsonProcessingException j && j.getLocation() != null
                    ? " at line " + j.getLocation().getLineNr() + ", column "
                            + j.getLocation().getColumnNr()
                    : "";
            throw ApiError.badRequest("the body is not valid JSON" + where + ": "
                    + e.getMessage()
                            .replaceFirst("^invalid JSON: ", "")
                            // Jackson names an unclosed object's start as "[Source: REDACTED (`StreamRead…` disabled);
                            // line: 1, column: 12]"
                            .replaceAll("\\[Source: [^;\\]]*; line: (\\d+), column: (\\d+)]", "line $1, column $2")
                    + "; expected " + shape);
        }
        if (!(parsed instanceof Map<?, ?> object)) {
            throw ApiError.badRequest("the body must be a JSON object like " + shape + ", got " + jsonType(parsed));
        }
        return object;
    }

    /** How a parsed JSON value is named in an error: "an array", "a number" … */
    static String jsonType(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof Map<?, ?>) {
            return "an object";
        }
        if (value instanceof List<?>) {
            return "an array";
        }
        if (value instanceof String) {
            return "a string";
        }
        return value instanceof Boolean ? "true or false" : "a number";
    }
}
