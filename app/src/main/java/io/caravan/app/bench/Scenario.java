package io.caravan.app.bench;

import java.util.Locale;

/** One measured way of running N commands. */
record Scenario(
        String name, int commands, int parallel, long wallNanos, LatencyStats latency, int logins, int failures) {

    double execPerSecond() {
        return commands / (wallNanos / 1e9);
    }

    String row() {
        return String.format(
                Locale.ROOT,
                "%-34s %8d %8d %10.1f %9.2f %9.2f %7d %8d",
                name,
                commands,
                parallel,
                execPerSecond(),
                latency.p50(),
                latency.p90(),
                logins,
                failures);
    }

    static String header() {
        return String.format(
                Locale.ROOT,
                "%-34s %8s %8s %10s %9s %9s %7s %8s",
                "scenario",
                "commands",
                "parallel",
                "exec/s",
                "p50 ms",
                "p90 ms",
                "logins",
                "failures");
    }

    String json() {
        return String.format(
                Locale.ROOT,
                "{\"name\":\"%s\",\"commands\":%d,\"parallel\":%d,\"wall_ms\":%d,"
                        + "\"exec_per_s\":%.1f,\"p50_ms\":%.3f,\"p90_ms\":%.3f,\"p99_ms\":%.3f,\"logins\":%d,\"failures\":%d}",
                name,
                commands,
                parallel,
                wallNanos / 1_000_000,
                execPerSecond(),
                latency.p50(),
                latency.p90(),
                latency.p99(),
                logins,
                failures);
    }
}
