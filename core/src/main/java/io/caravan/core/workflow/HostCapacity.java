package io.caravan.core.workflow;

import java.util.List;
import java.util.stream.IntStream;

/**
 * What a pool host offers its jobs at once, as its pool declares it ({@code gpus: 4, cpus: 32, mem: 256G}); a
 * field not declared does not limit (0 or null), except GPUs: a host that declares none has none to give.
 *
 * @param gpus     the GPU indices jobs may be given ({@code gpus: 4} is 0 to 3); empty when none, or not yet read
 * @param gpusAuto {@code gpus: auto}: the indices are read from the host ({@code nvidia-smi}) before the first job
 * @param gpuType  the GPU model ({@code --gpu-type}, or the name nvidia-smi reports), matched by a request's
 *                 {@code type}; null for any
 * @param cpus     CPU cores; 0 for no limit
 * @param mem      memory; null for no limit
 */
public record HostCapacity(List<Integer> gpus, boolean gpusAuto, String gpuType, int cpus, MemorySize mem) {
    public static final HostCapacity NONE = new HostCapacity(List.of(), false, null, 0, null);

    public HostCapacity {
        gpus = List.copyOf(gpus);
        if (cpus < 0) {
            throw new IllegalArgumentException("cpus must not be negative, got " + cpus);
        }
        gpuType = gpuType == null || gpuType.isBlank() ? null : gpuType;
    }

    /** {@code gpus: N}: indices 0 to N - 1. */
    public static List<Integer> indices(int count) {
        return IntStream.range(0, count).boxed().toList();
    }

    /** The same capacity with the GPUs read from the host. */
    public HostCapacity withGpus(List<Integer> found, String type) {
        return new HostCapacity(found, false, gpuType != null ? gpuType : type, cpus, mem);
    }

    public boolean isDeclared() {
        return !equals(NONE);
    }

    /** For listings: {@code gpus 4 (h100), cpus 32, mem 256G}, or "" when nothing is declared. */
    public String describe() {
        StringBuilder s = new StringBuilder();
        if (gpusAuto) {
            s.append("gpus auto");
        } else if (!gpus.isEmpty()) {
            s.append("gpus ").append(gpus.size());
        }
        if (gpuType != null && s.length() > 0) {
            s.append(" (").append(gpuType).append(')');
        }
        if (cpus > 0) {
            s.append(s.length() > 0 ? ", " : "").append("cpus ").append(cpus);
        }
        if (mem != null) {
            s.append(s.length() > 0 ? ", " : "").append("mem ").append(mem);
        }
        return s.toString();
    }
}
