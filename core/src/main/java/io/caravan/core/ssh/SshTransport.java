package io.caravan.core.ssh;

import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.caravan.core.threads.DaemonThreads;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.sshd.client.SshClient;

/**
 * All SSH traffic of the process goes through here: a pool of long-lived connections per target,
 * short channels on them, a handshake gate per host and bounded retries (SPEC §3). Thread-safe;
 * one instance per process is the intended use.
 */
public final class SshTransport implements AutoCloseable {
    private final SshSettings settings;
    private final MeterRegistry registry;
    private final SshMetrics metrics;
    private final SshClient client;
    private final SessionOpener opener;
    private final ChannelRunner runner;
    private final Map<SshTarget, TargetPool> pools = new ConcurrentHashMap<>();
    private final ScheduledExecutorService reaper;

    private SshTransport(SshSettings settings, MeterRegistry registry) {
        this.settings = settings;
        this.registry = registry;
        this.metrics = new SshMetrics(registry);
        this.client = SshClients.start(settings);
        this.opener = new SessionOpener(client, settings, metrics, this::openForward);
        this.runner = new ChannelRunner(settings);
        this.reaper = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("caravan-ssh-idle-reaper"));
        long period = Math.max(1_000, Math.min(settings.idleTimeout().toMillis() / 4, 30_000));
        reaper.scheduleAtFixedRate(this::closeIdle, period, period, TimeUnit.MILLISECONDS);
    }

    public static SshTransport start(SshSettings settings) {
        return start(settings, new SimpleMeterRegistry());
    }

    public static SshTransport start(SshSettings settings, MeterRegistry registry) {
        return new SshTransport(settings, registry);
    }

    public ExecResult exec(SshTarget target, String command) {
        return exec(target, command, ExecOptions.defaults());
    }

    /** Runs a command and captures its output (up to {@link SshSettings#maxCapturedOutput()} bytes each). */
    public ExecResult exec(SshTarget target, String command, ExecOptions options) {
        Instant start = Instant.now();
        Duration timeout = options.timeoutOr(settings.execTimeout());
        return call(target, options.idempotent(), lease -> {
            BoundedOutput out = new BoundedOutput(settings.maxCapturedOutput());
            BoundedOutput err = new BoundedOutput(settings.maxCapturedOutput());
            int code = ExecChannel.run(lease, command, out, err, timeout);
            return new ExecResult(
                    code,
                    out.text(),
                    err.text(),
                    Duration.between(start, Instant.now()),
                    out.truncated() || err.truncated());
        });
    }

    /** Runs a command, streaming its output as it arrives; returns the exit code. */
    public int stream(SshTarget target, String command, OutputStream out, OutputStream err, ExecOptions options) {
        return stream(target, command, null, out, err, options);
    }

    /** Runs a command fed {@code stdin} (a script for {@code sh -s}, say: no command-line length limit). */
    public int stream(
            SshTarget target, String command, byte[] stdin, OutputStream out, OutputStream err, ExecOptions options) {
        Duration timeout = options.timeoutOr(settings.execTimeout());
        return call(target, options.idempotent(), lease -> ExecChannel.run(lease, command, stdin, out, err, timeout));
    }

    /** Uploads a file unless the remote copy already has the same SHA-256. */
    public UploadResult upload(SshTarget target, Path local, String remotePath) {
        return call(target, true, lease -> SftpTransfers.upload(lease, local, remotePath, settings.execTimeout()));
    }

    /** Downloads to a temporary sibling and renames it into place; a failed download leaves nothing behind. */
    public long download(SshTarget target, String remotePath, Path local) {
        return call(target, true, lease -> SftpTransfers.download(lease, remotePath, local));
    }

    /** The regular files directly in a remote directory, over SFTP; empty when the directory does not exist. */
    public List<RemoteFile> list(SshTarget target, String remoteDirectory) {
        return call(target, true, lease -> SftpTransfers.list(lease, remoteDirectory));
    }

    /** A local port on 127.0.0.1 that reaches host:port as seen from the target; close it to stop. */
    public PortForward forward(SshTarget target, String host, int port) {
        try {
            return openForward(target, host, port);
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    /** The transport's meters (handshakes, failures by cause, channels, refusals, reconnects per host). */
    public MeterRegistry registry() {
        return registry;
    }

    public HostStats stats(String hostAndPort) {
        return metrics.stats(hostAndPort);
    }

    /** Channels open (or being opened) to the host right now, over all its connections. */
    public int channelsInUse(String hostAndPort) {
        return pools.entrySet().stream()
                .filter(e -> e.getKey().hostAndPort().equals(hostAndPort))
                .mapToInt(e -> e.getValue().channelsInUse())
                .sum();
    }

    public int openConnections(String hostAndPort) {
        return pools.entrySet().stream()
                .filter(e -> e.getKey().hostAndPort().equals(hostAndPort))
                .mapToInt(e -> e.getValue().openConnections())
                .sum();
    }

    @Override
    public void close() {
        reaper.shutdownNow();
        pools.values().forEach(TargetPool::close);
        try {
            client.stop();
        } catch (RuntimeException e) {
            // closing anyway
        }
    }

    private PortForward openForward(SshTarget via, String host, int port) throws InterruptedException {
        Lease lease =
                pool(via).acquire(System.nanoTime() + settings.channelWait().toNanos());
        return PortForward.open(lease, host, port);
    }

    private <T> T call(SshTarget target, boolean idempotent, ChannelRunner.Work<T> work) {
        try {
            return runner.run(pool(target), idempotent, work);
        } catch (InterruptedException e) {
            throw interrupted(e);
        }
    }

    private TargetPool pool(SshTarget target) {
        return pools.computeIfAbsent(target, t -> {
            Gauge.builder("caravan.ssh.connections.open", () -> openConnections(t.hostAndPort()))
                    .tag("host", t.hostAndPort())
                    .register(registry);
            return new TargetPool(t, opener, settings, metrics);
        });
    }

    private void closeIdle() {
        pools.values().forEach(p -> p.closeIdle(settings.idleTimeout().toNanos()));
    }

    private static SshFailure interrupted(InterruptedException e) {
        Thread.currentThread().interrupt();
        return new SshFailure(FailureKind.TRANSPORT, "interrupted while waiting on SSH", e);
    }
}
