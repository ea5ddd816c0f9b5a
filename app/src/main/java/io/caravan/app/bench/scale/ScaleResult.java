package io.caravan.app.bench.scale;

import java.util.Locale;

/**
 * The figures of one scale run.
 *
 * @param allActive whether all jobs were active at once (else no window was measured)
 * @param left      job directories and job processes the engine left behind
 */
public record ScaleResult(
        long peakHeapBytes,
        double pollRoundMsP50,
        double pollCommandsPerHostRound,
        long failed,
        boolean allActive,
        long left) {
    static final long HEAP_TARGET_MB = 512;
    static final double ROUND_TARGET_MS = 100;

    ScaleResult withLeft(long n) {
        return new ScaleResult(peakHeapBytes, pollRoundMsP50, pollCommandsPerHostRound, failed, allActive, n);
    }

    public boolean ok() {
        return failed == 0 && allActive && left == 0;
    }

    /** The targets, printed beside the figures; a benchmark reports them, it does not assert them. */
    public String targets() {
        return String.format(
                Locale.ROOT,
                "targets: peak_heap_mb<=%d poll_round_ms_p50<=%.0f (1000 active jobs on one host)"
                        + " poll_commands_per_host_round=1 failed=0",
                HEAP_TARGET_MB,
                ROUND_TARGET_MS);
    }

    /** The one line the benchmark ends with. */
    public String line() {
        return String.format(
                Locale.ROOT,
                "peak_heap_mb=%d poll_round_ms_p50=%.1f poll_commands_per_host_round=%.2f failed=%d",
                peakHeapBytes >> 20,
                pollRoundMsP50,
                pollCommandsPerHostRound,
                failed);
    }
}
