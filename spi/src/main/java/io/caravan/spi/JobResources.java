package io.caravan.spi;

import java.time.Duration;

/**
 * What one job asks of the place it runs (plugin API 1.3.0): its task's {@code resources:} for this attempt, so a
 * retry may ask for more. A backend maps them onto its scheduler (Slurm's {@code --cpus-per-task}, {@code --mem},
 * {@code --gres}, {@code --time}); one without a scheduler may ignore them.
 *
 * @param cpus     CPU cores; 0 when not asked for
 * @param memBytes memory in bytes; 0 when not asked for
 * @param gpus     GPUs; 0 when not asked for
 * @param gpuType  the GPU model (a gres type, [A-Za-z0-9_.-]+), or null for any
 * @param time     wall time, or null when not asked for
 */
public record JobResources(int cpus, long memBytes, int gpus, String gpuType, Duration time) {
    public static final JobResources NONE = new JobResources(0, 0, 0, null, null);

    public JobResources {
        if (cpus < 0 || memBytes < 0 || gpus < 0) {
            throw new IllegalArgumentException(
                    "resources must not be negative: cpus " + cpus + ", mem " + memBytes + ", gpus " + gpus);
        }
        if (gpuType != null && !gpuType.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw new IllegalArgumentException("not a GPU type: '" + gpuType + "'");
        }
    }

    /** Memory in whole mebibytes, rounded up (Slurm's unit); 0 when not asked for. */
    public long memMegabytes() {
        return (memBytes + (1L << 20) - 1) >> 20;
    }

    public boolean isEmpty() {
        return equals(NONE);
    }
}
