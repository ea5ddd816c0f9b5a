package io.caravan.core.workflow;

/**
 * GPUs a task asks for: {@code gpus: 2}, or {@code gpus: { count: 2, type: h100 }} when the kind matters.
 *
 * @param type the GPU model as the cluster names it (Slurm's gres type), or null for any
 */
public record GpuRequest(int count, String type) {

    public GpuRequest {
        if (count <= 0) {
            throw new IllegalArgumentException("a GPU request needs a count of at least 1, got " + count);
        }
        type = type == null || type.isBlank() ? null : type;
    }

    public static GpuRequest of(int count) {
        return new GpuRequest(count, null);
    }

    @Override
    public String toString() {
        return type == null ? String.valueOf(count) : count + " " + type;
    }
}
