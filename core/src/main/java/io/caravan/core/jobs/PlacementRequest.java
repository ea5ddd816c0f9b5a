package io.caravan.core.jobs;

import java.util.Locale;

import io.caravan.core.workflow.HostCapacity;
import io.caravan.core.workflow.MemorySize;
import io.caravan.core.workflow.ResourceRequest;

/**
 * What one attempt's job needs free on a pool host, from its task's {@code resources:}: GPUs (of a type, or
 * any), CPU cores and memory. Time is the scheduler's business (Slurm), not placement's.
 *
 * @param gpuType matched against the host's GPU model, case-insensitively, as a part of it ({@code h100} in
 *                "NVIDIA H100 80GB HBM3"); null for any
 */
public record PlacementRequest(int gpus, String gpuType, int cpus, long memBytes) {
    public static final PlacementRequest NONE = new PlacementRequest(0, null, 0, 0);

    public static PlacementRequest of(ResourceRequest r) {
        return r == null
                ? NONE
                : new PlacementRequest(
                        r.gpuCount(),
                        r.gpus() == null ? null : r.gpus().type(),
                        r.cpus(),
                        r.mem() == null ? 0 : r.mem().bytes());
    }

    public boolean isEmpty() {
        return gpus == 0 && cpus == 0 && memBytes == 0;
    }

    /** Whether a host with this capacity could ever run the job, all of it free. */
    public boolean fitsIn(HostCapacity capacity) {
        return gpus <= capacity.gpus().size()
                && (gpus == 0 || typeMatches(capacity.gpuType()))
                && (capacity.cpus() == 0 || cpus <= capacity.cpus())
                && (capacity.mem() == null || memBytes <= capacity.mem().bytes());
    }

    private boolean typeMatches(String hostType) {
        return gpuType == null
                || hostType != null
                        && hostType.toLowerCase(Locale.ROOT)
                                .replace(" ", "")
                                .contains(gpuType.toLowerCase(Locale.ROOT).replace(" ", ""));
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder();
        if (gpus > 0) {
            s.append(gpus).append(gpuType == null ? "" : " " + gpuType).append(gpus == 1 ? " GPU" : " GPUs");
        }
        if (cpus > 0) {
            s.append(s.length() > 0 ? ", " : "").append(cpus).append(cpus == 1 ? " CPU" : " CPUs");
        }
        if (memBytes > 0) {
            s.append(s.length() > 0 ? ", " : "")
                    .append(new MemorySize(memBytes))
                    .append(" memory");
        }
        return s.length() == 0 ? "nothing" : s.toString();
    }
}
