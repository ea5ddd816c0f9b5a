package io.caravan.core.jobs;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

import io.caravan.core.ssh.ExecOptions;
import io.caravan.core.ssh.ExecResult;
import io.caravan.core.ssh.FailureKind;
import io.caravan.core.ssh.SshFailure;
import io.caravan.core.ssh.SshTransport;

/**
 * {@code gpus: auto}: the GPUs of a host as {@code nvidia-smi --query-gpu=index,name,memory.total
 * --format=csv,noheader} lists them, read once per connection over the pooled transport (the answer, or the
 * failure, is kept for the engine's life). A host without nvidia-smi, or whose answer cannot be read, is a
 * configuration failure naming the host: fatal, never retried.
 */
public final class NvidiaSmiInventory implements GpuInventory {
    static final String QUERY = "nvidia-smi --query-gpu=index,name,memory.total --format=csv,noheader";
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final SshTransport transport;
    private final Executor executor;
    private final Map<String, CompletableFuture<List<Gpu>>> found = new ConcurrentHashMap<>();

    /** @param executor where the query waits for its answer (not an engine thread) */
    public NvidiaSmiInventory(SshTransport transport, Executor executor) {
        this.transport = transport;
        this.executor = executor;
    }

    @Override
    public CompletableFuture<HostPool> resolve(HostPool pool) {
        List<CompletableFuture<HostPool.Member>> members = pool.members().stream()
                .map(m -> !m.capacity().gpusAuto()
                        ? CompletableFuture.completedFuture(m)
                        : found.computeIfAbsent(
                                        m.hostAndPort(), h -> CompletableFuture.supplyAsync(() -> query(m), executor))
                                .thenApply(gpus -> GpuInventory.withGpus(m, gpus)))
                .toList();
        return CompletableFuture.allOf(members.toArray(CompletableFuture[]::new))
                .thenApply(v -> new HostPool(
                        pool.name(),
                        members.stream().map(CompletableFuture::join).toList()));
    }

    private List<Gpu> query(HostPool.Member m) {
        ExecResult r =
                transport.exec(m.target(), QUERY, ExecOptions.timeout(TIMEOUT).mayRunTwice());
        if (r.exitCode() != 0) {
            throw new SshFailure(
                    FailureKind.CONFIGURATION,
                    "host " + m.hostAndPort() + " declares gpus: auto, but `"
                            + QUERY + "` failed there (exit " + r.exitCode()
                            + (r.exitCode() == 127 ? ", nvidia-smi not found" : "")
                            + "): " + r.stderr().strip());
        }
        return parse(m.hostAndPort(), r.stdout());
    }

    /** Lines such as {@code 0, NVIDIA H100 80GB HBM3, 81559 MiB}. */
    static List<Gpu> parse(String host, String csv) {
        List<Gpu> gpus = new ArrayList<>();
        for (String line : csv.strip().split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",");
            try {
                gpus.add(new Gpu(
                        Integer.parseInt(f[0].strip()),
                        f[1].strip(),
                        f.length > 2 ? Long.parseLong(f[2].strip().replaceAll("(?i)\\s*MiB$", "")) : 0));
            } catch (RuntimeException e) {
                throw new SshFailure(
                        FailureKind.CONFIGURATION,
                        "host " + host + " declares gpus: auto, but nvidia-smi"
                                + " answered a line that is not index, name, memory: '" + line.strip() + "'");
            }
        }
        return gpus;
    }
}
