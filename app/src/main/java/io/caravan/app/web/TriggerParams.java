package io.caravan.app.web;

import java.util.LinkedHashMap;
import java.util.Map;

import io.caravan.core.engine.Json;

/** A trigger's body, {@code {"params": {"name": "value"}}}, read into what {@code --set name=value} would give. */
final class TriggerParams {
    static final String SHAPE = "{\"params\": {\"name\": \"value\"}}";

    private TriggerParams() {}

    /** The overrides; none without a body. A body of any other shape is a 400 that names what is wrong. */
    static Map<String, String> of(ApiRequest request) {
        Map<?, ?> body = request.jsonObject(SHAPE);
        for (Object key : body.keySet()) {
            if (!"params".equals(key)) {
                throw ApiError.badRequest("unknown key '" + key + "' in the body; expected " + SHAPE);
            }
        }
        Map<String, String> overrides = new LinkedHashMap<>();
        if (!body.containsKey("params")) {
            return overrides;
        }
        if (!(body.get("params") instanceof Map<?, ?> params)) {
            throw ApiError.badRequest("'params' must be a JSON object like {\"name\": \"value\"}, got "
                    + ApiRequest.jsonType(body.get("params")));
        }
        params.forEach((name, value) -> {
            if (value instanceof String s) {
                overrides.put(String.valueOf(name), s);
            } else if (value instanceof Number || value instanceof Boolean) {
                overrides.put(String.valueOf(name), Json.write(value));
            } else {
                throw ApiError.badRequest(
                        "param '" + name + "' must be a string, a number or true/false (as --set gives)," + " got "
                                + ApiRequest.jsonType(value));
            }
        });
        return overrides;
    }
}
