package io.caravan.core.workflow;

import java.time.Duration;
import java.util.List;

/**
 * A task's {@code resources:} as written: each field one value, or one per attempt ({@code mem: [4G, 8G, 16G]}),
 * the last repeating for every later attempt, so that a retry can ask for more. An empty list is a field not asked for.
 */
public record Resources(List<Integer> cpus, List<MemorySize> mem, List<GpuRequest> gpus, List<Duration> time) {
    public static final Resources NONE = new Resources(List.of(), List.of(), List.of(), List.of());

    public Resources {
        cpus = List.copyOf(cpus);
        mem = List.copyOf(mem);
        gpus = List.copyOf(gpus);
        time = List.copyOf(time);
    }

    /** What attempt {@code attempt} (1 for the first) asks for. */
    public ResourceRequest forAttempt(int attempt) {
        Integer c = pick(cpus, attempt);
        return new ResourceRequest(c == null ? 0 : c, pick(mem, attempt), pick(gpus, attempt), pick(time, attempt));
    }

    /** These resources with each field they leave out taken from {@code defaults} (a workflow's {@code defaults:}). */
    public Resources orElse(Resources defaults) {
        return new Resources(
                cpus.isEmpty() ? defaults.cpus : cpus,
                mem.isEmpty() ? defaults.mem : mem,
                gpus.isEmpty() ? defaults.gpus : gpus,
                time.isEmpty() ? defaults.time : time);
    }

    public boolean isEmpty() {
        return equals(NONE);
    }

    private static <T> T pick(List<T> values, int attempt) {
        return values.isEmpty() ? null : values.get(Math.min(Math.max(attempt, 1), values.size()) - 1);
    }
}
