package io.caravan.routes.notify;

import java.time.Duration;

import io.caravan.core.workflow.Durations;

/**
 * How notifications are delivered.
 *
 * @param redeliveries how often a failed delivery is tried again before it counts as failed for good
 * @param firstDelay   the pause before the first redelivery; doubled each time, with ±25% jitter
 * @param maxDelay     the longest pause between two redeliveries
 * @param queueSize    notifications waiting for delivery at most; one more is dropped (and logged), never waited for
 * @param consumers    deliveries at once
 */
public record NotifySettings(int redeliveries, Duration firstDelay, Duration maxDelay, int queueSize, int consumers) {

    public static NotifySettings defaults() {
        return new NotifySettings(5, Duration.ofSeconds(1), Duration.ofSeconds(60), 1000, 4);
    }

    /** The defaults, tuned by {@code -Dcaravan.notify.retries=N} and {@code -Dcaravan.notify.first-delay=1s}. */
    public static NotifySettings fromSystemProperties() {
        NotifySettings d = defaults();
        return new NotifySettings(
                Integer.getInteger("caravan.notify.retries", d.redeliveries()),
                Durations.parse(System.getProperty("caravan.notify.first-delay", "1s")),
                d.maxDelay(),
                d.queueSize(),
                d.consumers());
    }
}
