package io.caravan.core.jobs;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The variables that tell a job its GPUs: {@code CUDA_VISIBLE_DEVICES} (which CUDA, and so PyTorch and the
 * like, obey) and {@code CARAVAN_GPUS} (the same indices, for scripts that pass them on themselves).
 */
public final class GpuEnvironment {
    private GpuEnvironment() {}

    /** Empty when the job holds no GPU. */
    public static Map<String, String> of(Reservation reservation) {
        Map<String, String> env = new LinkedHashMap<>();
        if (reservation != null && !reservation.gpus().isEmpty()) {
            env.put("CUDA_VISIBLE_DEVICES", reservation.gpuList());
            env.put("CARAVAN_GPUS", reservation.gpuList());
        }
        return env;
    }
}
