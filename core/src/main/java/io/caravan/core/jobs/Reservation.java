package io.caravan.core.jobs;

import java.util.List;
import java.util.stream.Collectors;

/**
 * What one job holds on a pool host until it ends: a slot, and of what it asked for, concrete GPU indices, CPU
 * cores and memory.
 *
 * @param key the job's id ({@link DirectoryRule#jobId}): an adopted job finds what it held under it
 */
public record Reservation(String key, HostPool.Member member, List<Integer> gpus, int cpus, long memBytes) {

    public Reservation {
        gpus = List.copyOf(gpus);
    }

    /** What a job held on a host, as stored with its placement: taken again before anything else there. */
    public record Stored(String key, List<Integer> gpus, int cpus, long memBytes) {}

    /** Whether the job asked for anything but a slot (what is stored with its placement then). */
    public boolean holdsResources() {
        return !gpus.isEmpty() || cpus > 0 || memBytes > 0;
    }

    /** {@code 0,1}: the form of {@code CUDA_VISIBLE_DEVICES}. */
    public String gpuList() {
        return gpus.stream().map(String::valueOf).collect(Collectors.joining(","));
    }
}
