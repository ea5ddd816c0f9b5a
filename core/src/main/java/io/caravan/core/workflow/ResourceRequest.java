package io.caravan.core.workflow;

import java.time.Duration;

import io.caravan.spi.JobResources;

/**
 * What one attempt of a task asks of the place it runs: every field may be absent (not asked for).
 *
 * @param cpus CPU cores; 0 when not asked for
 * @param mem  memory, or null
 * @param gpus GPUs, or null
 * @param time wall time, or null
 */
public record ResourceRequest(int cpus, MemorySize mem, GpuRequest gpus, Duration time) {
    public static final ResourceRequest NONE = new ResourceRequest(0, null, null, null);

    public ResourceRequest {
        if (cpus < 0) {
            throw new IllegalArgumentException("cpus must not be negative, got " + cpus);
        }
    }

    /** GPUs asked for, 0 when none. */
    public int gpuCount() {
        return gpus == null ? 0 : gpus.count();
    }

    /** As a plugin's backend receives it. */
    public JobResources toJob() {
        return new JobResources(
                cpus, mem == null ? 0 : mem.bytes(), gpuCount(), gpus == null ? null : gpus.type(), time);
    }

    public boolean isEmpty() {
        return equals(NONE);
    }
}
