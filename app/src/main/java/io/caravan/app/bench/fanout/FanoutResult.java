package io.caravan.app.bench.fanout;

import java.util.Locale;

/**
 * One approach's figures for one fan-out.
 *
 * @param execChannels exec channels (or multiplexed sessions) opened: commands sent to the hosts
 * @param dirsLeft     job directories still on the hosts afterwards
 */
record FanoutResult(
        String approach,
        int jobs,
        int hosts,
        long wallMillis,
        int failedJobs,
        int handshakes,
        int drops,
        long execChannels,
        long dirsLeft) {

    static String header() {
        return String.format(
                Locale.ROOT,
                "%-44s %6s %6s %9s %7s %10s %6s %9s %6s %8s %8s",
                "approach",
                "jobs",
                "hosts",
                "wall s",
                "failed",
                "handshakes",
                "drops",
                "channels",
                "left",
                "x A",
                "x F");
    }

    /** @param f the floor's figures, or null when F did not run */
    String row(FanoutResult a, FanoutResult f) {
        return String.format(
                Locale.ROOT,
                "%-44s %6d %6d %9.1f %7d %10d %6d %9d %6d %8.1f %8s",
                approach,
                jobs,
                hosts,
                wallMillis / 1000.0,
                failedJobs,
                handshakes,
                drops,
                execChannels,
                dirsLeft,
                ratio(a),
                f == null ? "-" : String.format(Locale.ROOT, "%.2f", ratio(f)));
    }

    double ratio(FanoutResult to) {
        return to == null || to.wallMillis == 0 ? 1.0 : (double) wallMillis / to.wallMillis;
    }

    /** @param f the floor's figures, or null when F did not run ({@code wall_ratio_to_f} is then null) */
    String json(FanoutResult a, FanoutResult f) {
        return String.format(
                Locale.ROOT,
                "{\"approach\":\"%s\",\"jobs\":%d,\"hosts\":%d,\"wall_ms\":%d,\"failed_jobs\":%d,"
                        + "\"handshakes\":%d,\"maxstartups_drops\":%d,\"exec_channels\":%d,\"dirs_left\":%d,\"wall_ratio_to_a\":%.2f,"
                        + "\"wall_ratio_to_f\":%s}",
                approach,
                jobs,
                hosts,
                wallMillis,
                failedJobs,
                handshakes,
                drops,
                execChannels,
                dirsLeft,
                ratio(a),
                f == null ? "null" : String.format(Locale.ROOT, "%.2f", ratio(f)));
    }
}
