package io.caravan.app.pool;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import io.caravan.app.session.DatabaseCommand;
import io.caravan.app.session.SshEndpoint;
import io.caravan.app.session.StoreSession;
import io.caravan.core.ssh.ExecOptions;
import io.caravan.core.ssh.HostAndPort;
import io.caravan.core.ssh.HostKeyPolicy;
import io.caravan.core.ssh.Secret;
import io.caravan.core.ssh.SshFailure;
import io.caravan.core.ssh.SshSettings;
import io.caravan.core.ssh.SshTarget;
import io.caravan.core.ssh.SshTransport;
import io.caravan.core.storage.Database;
import io.caravan.core.storage.PlacementStore;
import io.caravan.core.storage.PoolStore;
import io.caravan.core.storage.RunStore;
import io.caravan.core.storage.StoredConnection;
import io.caravan.core.workflow.HostCapacity;
import io.caravan.core.workflow.MemorySize;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Host pools: sets of SSH hosts a task can target, each taking a number of jobs at once. One picocli command with
 * its subcommands ({@code add-ssh}, {@code ps}, {@code remove}, …) as methods, which is why it is longer than most:
 * each subcommand is short, and they share the pool store and the table they print.
 */
@Command(
        name = "pool",
        mixinStandardHelpOptions = true,
        description = "Manage host pools.",
        subcommands = {
            PoolCommand.AddSsh.class,
            PoolCommand.Ps.class,
            PoolCommand.Remove.class,
            CommandLine.HelpCommand.class
        })
public final class PoolCommand implements Runnable {
    static final int INVALID = 2;

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /** Shared by the subcommands: the pools in the database, and the output streams. */
    abstract static class PoolSubcommand extends DatabaseCommand {
        Database db;

        @Override
        protected final int run(StoreSession session, PrintWriter out, PrintWriter err) throws Exception {
            db = session.database();
            return run(new PoolStore(db), out, err);
        }

        abstract int run(PoolStore pools, PrintWriter out, PrintWriter err) throws Exception;
    }

    @Command(
            name = "add-ssh",
            mixinStandardHelpOptions = true,
            description = "Add an SSH host to a pool (created on first use).")
    static final class AddSsh extends PoolSubcommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "Pool name.")
        String pool;

        @Parameters(index = "1", paramLabel = "USER@HOST[:PORT]")
        String endpoint;

        @Option(names = "-i", required = true, paramLabel = "KEY", description = "Private key file.")
        Path identity;

        @Option(
                names = "--passphrase-env",
                paramLabel = "NAME",
                description =
                        "Environment variable holding the key's passphrase, read when the key is used (the name is stored, never the passphrase).")
        String passphraseEnv;

        @Option(
                names = "--slots",
                defaultValue = "4",
                description = "Jobs this host runs at once (default ${DEFAULT-VALUE}).")
        int slots;

        @Option(
                names = "--gpus",
                paramLabel = "N|auto",
                description = "GPUs jobs may be given (indices 0 to N-1), or auto:"
                        + " read from the host with nvidia-smi before its first job.")
        String gpus;

        @Option(
                names = "--gpu-type",
                paramLabel = "TYPE",
                description = "The GPUs' model (h100, a100, ...), matched by a task's gpus: { type: }.")
        String gpuType;

        @Option(
                names = "--cpus",
                paramLabel = "N",
                description = "CPU cores the host's jobs may reserve in all (default: no limit).")
        Integer cpus;

        @Option(
                names = "--mem",
                paramLabel = "SIZE",
                description = "Memory the host's jobs may reserve in all, e.g. 256G (default: no limit).")
        String mem;

        @Option(
                names = "--known-hosts",
                paramLabel = "FILE",
                description = "known_hosts file (default ~/.ssh/known_hosts).")
        Path knownHosts;

        @Option(
                names = "--host-key-policy",
                defaultValue = "strict",
                description = "strict, accept-new or insecure (default ${DEFAULT-VALUE}).")
        String hostKeyPolicy;

        @Override
        int run(PoolStore pools, PrintWriter out, PrintWriter err) {
            String problem = !pool.matches("[a-z0-9_-]+") ? "pool name '" + pool + "' must match [a-z0-9_-]+" : null;
            SshEndpoint at = null;
            try {
                at = SshEndpoint.parse(endpoint);
            } catch (IllegalArgumentException e) {
                problem = problem == null ? e.getMessage() : problem;
            }
            problem = problem != null
                    ? problem
                    : !Files.isReadable(identity)
                            ? "cannot read key file " + identity
                            : slots < 1
                                    ? "--slots must be at least 1"
                                    : passphraseEnv != null && !Secret.validEnvName(passphraseEnv)
                                            ? "--passphrase-env must name an environment variable ([A-Za-z_][A-Za-z0-9_]*), not hold the passphrase"
                                            : null;
            HostCapacity capacity = HostCapacity.NONE;
            try {
                capacity = capacity();
            } catch (IllegalArgumentException e) {
                problem = problem == null ? e.getMessage() : problem;
            }
            HostKeyPolicy policy = null;
            try {
                policy = HostKeyPolicy.parse(hostKeyPolicy);
            } catch (IllegalArgumentException e) {
                problem = problem == null ? e.getMessage() : problem;
            }
            if (problem != null) {
                err.println("pool add-ssh: " + problem);
                return INVALID;
            }
            String name = pool + ":" + at.user() + "@" + HostAndPort.format(at.host(), at.port());
            Path kh = knownHosts != null ? knownHosts : Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
            try {
                pools.addHost(
                        pool,
                        new StoredConnection(
                                        name,
                                        at.host(),
                                        at.port(),
                                        at.user(),
                                        identity.toAbsolutePath().toString(),
                                        kh.toAbsolutePath().toString(),
                                        policy)
                                .withPassphraseEnv(passphraseEnv),
                        slots,
                        capacity,
                        Instant.now());
            } catch (IllegalArgumentException e) {
                err.println("pool add-ssh: " + e.getMessage());
                return INVALID;
            }
            out.printf(
                    "pool %s: added %s@%s with %d slots%s%n",
                    pool,
                    at.user(),
                    HostAndPort.format(at.host(), at.port()),
                    slots,
                    capacity.isDeclared() ? ", " + capacity.describe() : "");
            return 0;
        }

        /** --gpus, --gpu-type, --cpus and --mem as the host's capacity; a bad one is named. */
        private HostCapacity capacity() {
            boolean auto = "auto".equals(gpus);
            int count = 0;
            if (gpus != null && !auto) {
                try {
                    count = Integer.parseInt(gpus);
                } catch (NumberFormatException e) {
                    count = -1;
                }
                if (count < 0) {
                    throw new IllegalArgumentException(
                            "--gpus must be a whole number >= 0 or auto, got '" + gpus + "'");
                }
            }
            if (cpus != null && cpus < 1) {
                throw new IllegalArgumentException("--cpus must be at least 1, got " + cpus);
            }
            MemorySize memory;
            try {
                memory = mem == null ? null : MemorySize.parse(mem);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--mem: " + e.getMessage());
            }
            return new HostCapacity(HostCapacity.indices(count), auto, gpuType, cpus == null ? 0 : cpus, memory);
        }
    }

    @Command(
            name = "ps",
            mixinStandardHelpOptions = true,
            description =
                    "List pools, their hosts, slots, and the GPUs (which job holds which), cores and memory reserved.")
    static final class Ps extends PoolSubcommand {
        @Option(names = "--check", description = "Log in to every host (pooled, 10 s limit) and show how it answers.")
        boolean check;

        @Override
        int run(PoolStore store, PrintWriter out, PrintWriter err) {
            Map<String, List<PoolStore.PoolHost>> pools = store.pools();
            RunStore runs = new RunStore(db);
            Map<String, Long> busy = runs.placements().busyHosts();
            Map<String, PlacementStore.HostUsage> usage = runs.placements().usageByHost();
            if (pools.isEmpty()) {
                out.println(
                        "no pools; add one with: ./caravan pool add-ssh NAME user@host[:port] -i KEY [--slots N] [--gpus N]");
                return 0;
            }
            out.printf(
                    "%-16s  %-32s  %-16s  %-14s  %-10s  %-14s  %s%n",
                    "POOL", "HOST", "SLOTS", "GPUS", "CPUS", "MEM", "CONNECTION");
            try (SshTransport transport = check ? SshTransport.start(SshSettings.defaults()) : null) {
                pools.forEach((pool, hosts) -> hosts.forEach(h -> {
                    String host = HostAndPort.format(
                            h.connection().host(), h.connection().port());
                    PlacementStore.HostUsage used = usage.getOrDefault(host, PlacementStore.HostUsage.NONE);
                    out.printf(
                            "%-16s  %-32s  %-16s  %-14s  %-10s  %-14s  %s%n",
                            pool,
                            h.connection().user() + "@" + host,
                            slots(busy.getOrDefault(host, 0L), h.slots()),
                            gpus(used, h.capacity()),
                            cpus(used, h.capacity()),
                            mem(used, h.capacity()),
                            check ? probe(transport, h.connection()) : "not checked (--check)");
                    used.gpus().forEach((index, job) -> out.printf("%-16s    GPU %d: %s%n", "", index, job));
                }));
            }
            return 0;
        }

        private static String slots(long busy, int slots) {
            return busy + " busy/" + Math.max(0, slots - busy) + " free";
        }

        /** "2/4 busy", "auto" before the host was read, "-" without GPUs; the holders are listed under the host. */
        private static String gpus(PlacementStore.HostUsage used, HostCapacity capacity) {
            String type = capacity.gpuType() == null ? "" : " " + capacity.gpuType();
            return capacity.gpusAuto()
                    ? used.gpus().size() + "/auto busy" + type
                    : capacity.gpus().isEmpty() && used.gpus().isEmpty()
                            ? "-"
                            : used.gpus().size() + "/" + capacity.gpus().size() + " busy" + type;
        }

        private static String cpus(PlacementStore.HostUsage used, HostCapacity capacity) {
            return used.cpus() + "/" + (capacity.cpus() == 0 ? "-" : String.valueOf(capacity.cpus()));
        }

        private static String mem(PlacementStore.HostUsage used, HostCapacity capacity) {
            return (used.memBytes() == 0 ? "0" : new MemorySize(used.memBytes()).toString()) + "/"
                    + (capacity.mem() == null ? "-" : capacity.mem().toString());
        }

        private static String probe(SshTransport transport, StoredConnection c) {
            SshTarget target = c.toTarget();
            long start = System.nanoTime();
            try {
                transport.exec(target, "true", ExecOptions.timeout(Duration.ofSeconds(10)));
                return "ok (" + (System.nanoTime() - start) / 1_000_000 + " ms, "
                        + transport.stats(target.hostAndPort()).handshakes() + " login)";
            } catch (SshFailure e) {
                return e.kind().tag() + ": " + e.getMessage();
            }
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a pool.")
    static final class Remove extends PoolSubcommand {
        @Parameters(paramLabel = "NAME")
        String pool;

        @Override
        int run(PoolStore pools, PrintWriter out, PrintWriter err) {
            if (!pools.remove(pool)) {
                err.println("pool remove: no pool '" + pool + "' (see ./caravan pool ps)");
                return INVALID;
            }
            out.println("pool " + pool + " removed");
            return 0;
        }
    }
}
