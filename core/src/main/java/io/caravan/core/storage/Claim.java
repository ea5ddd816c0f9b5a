package io.caravan.core.storage;

/**
 * An instance this engine now holds, with the token its completion must present.
 *
 * @param host where the attempt's job already runs when it is taken up again (adopted, never started twice); else null
 */
public record Claim(
        long instanceId,
        String runId,
        String taskId,
        int itemIndex,
        String itemJson,
        int attempt,
        int maxAttempts,
        String token,
        String host) {}
