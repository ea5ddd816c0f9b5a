package io.caravan.routes.notify;

import java.time.Instant;

/** A notification that could not be delivered after every redelivery; {@code endpoint} has its secrets masked. */
public record FailedDelivery(String runId, String event, String endpoint, String reason, Instant at) {}
