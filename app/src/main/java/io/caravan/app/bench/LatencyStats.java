package io.caravan.app.bench;

import java.util.Arrays;

/** Percentiles of a set of latencies, in milliseconds. */
public record LatencyStats(double p50, double p90, double p99, double max) {

    public static LatencyStats of(long[] nanos) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return new LatencyStats(pick(sorted, 0.50), pick(sorted, 0.90), pick(sorted, 0.99), pick(sorted, 1.0));
    }

    private static double pick(long[] sorted, double q) {
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int i = (int) Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }
}
