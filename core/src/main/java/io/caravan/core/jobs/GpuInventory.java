package io.caravan.core.jobs;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Reads the GPUs of the pool hosts that declare {@code gpus: auto}. */
public interface GpuInventory {
    /** Nothing to read with: {@code gpus: auto} hosts keep no GPUs. */
    GpuInventory NONE = pool -> CompletableFuture.completedFuture(pool);

    /** One GPU as the host reports it. */
    record Gpu(int index, String name, long memoryMiB) {}

    /**
     * The pool with each {@code gpus: auto} host's GPUs read; fails with a fatal CONFIGURATION {@link
     * io.caravan.core.ssh.SshFailure} naming the host when they cannot be read.
     */
    CompletableFuture<HostPool> resolve(HostPool pool);

    /** Indices and the first GPU's name (the host's type) from what was found. */
    static HostPool.Member withGpus(HostPool.Member m, List<Gpu> gpus) {
        return new HostPool.Member(
                m.target(),
                m.slots(),
                m.capacity()
                        .withGpus(
                                gpus.stream().map(Gpu::index).toList(),
                                gpus.isEmpty() ? null : gpus.get(0).name()));
    }
}
