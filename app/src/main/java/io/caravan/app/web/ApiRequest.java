package io.caravan.app.web;

import java.util.Map;

/** What a handler gets: path and query parameters by name, and the body text of a POST. */
record ApiRequest(Map<String, Object> params, String body) {

    String text(String name) {
        Object value = params.get(name);
        return value == null || String.valueOf(value).isBlank() ? null : String.valueOf(value);
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
}
