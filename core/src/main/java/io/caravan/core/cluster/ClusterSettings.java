package io.caravan.core.cluster;

import java.time.Duration;

import io.caravan.core.workflow.Durations;

/**
 * @param heartbeat how often a node beats and renews its host leases
 * @param ttl       how long a node may stay silent before it counts as dead and its hosts and jobs are taken over
 */
public record ClusterSettings(Duration heartbeat, Duration ttl) {
    public ClusterSettings {
        if (ttl.compareTo(heartbeat.multipliedBy(3)) < 0) {
            throw new IllegalArgumentException(
                    "the node ttl (" + ttl + ") must be at least three heartbeats (" + heartbeat + ")");
        }
    }

    /** 2 s beats, dead after 10 s of silence; {@code -Dcaravan.cluster.heartbeat=…}, {@code -Dcaravan.cluster.ttl=…}. */
    public static ClusterSettings fromSystemProperties() {
        return new ClusterSettings(
                Durations.parse(System.getProperty("caravan.cluster.heartbeat", "2s")),
                Durations.parse(System.getProperty("caravan.cluster.ttl", "10s")));
    }
}
