package io.caravan.core.workflow;

import java.time.Duration;

/** A workflow's {@code defaults:}; the built-in values live here and nowhere else. */
record TaskDefaults(
        int retries, Duration retryDelay, Duration timeout, String target, int maxActive, Resources resources) {

    static TaskDefaults builtIn() {
        return new TaskDefaults(0, Duration.ofSeconds(30), Duration.ofHours(24), null, 64, Resources.NONE);
    }
}
