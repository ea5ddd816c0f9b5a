package io.caravan.core.jobs;

import java.util.Arrays;
import java.util.Locale;

/** When a job's directory is removed after it ends. */
public enum CleanupPolicy {
    ALWAYS,
    ON_SUCCESS,
    NEVER;

    public static CleanupPolicy parse(String text) {
        return Arrays.stream(values())
                .filter(p -> p.yamlName().equals(text))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(
                        "cleanup must be one of always, on_success, never; got '" + text + "'"));
    }

    public String yamlName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
