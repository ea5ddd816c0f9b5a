package io.caravan.core.storage;

/** An instance this engine now holds, with the token its completion must present. */
public record Claim(long instanceId, String runId, String taskId, int itemIndex, String itemJson, int attempt,
                    int maxAttempts, String token) {
}
