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
import io.caravan.core.ssh.SshFailure;
import io.caravan.core.ssh.SshSettings;
import io.caravan.core.ssh.SshTarget;
import io.caravan.core.ssh.SshTransport;
import io.caravan.core.storage.Database;
import io.caravan.core.storage.PoolStore;
import io.caravan.core.storage.StoredConnection;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Host pools: sets of SSH hosts a task can target, each taking a number of jobs at once. */
@Command(name = "pool", mixinStandardHelpOptions = true, description = "Manage host pools.",
         subcommands = {PoolCommand.AddSsh.class, PoolCommand.Ps.class, PoolCommand.Remove.class, CommandLine.HelpCommand.class})
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

    @Command(name = "add-ssh", mixinStandardHelpOptions = true, description = "Add an SSH host to a pool (created on first use).")
    static final class AddSsh extends PoolSubcommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "Pool name.")
        String pool;
        @Parameters(index = "1", paramLabel = "USER@HOST[:PORT]")
        String endpoint;
        @Option(names = "-i", required = true, paramLabel = "KEY", description = "Private key file.")
        Path identity;
        @Option(names = "--passphrase-env", paramLabel = "NAME",
                description = "Environment variable holding the key's passphrase, read when the key is used (the name is stored, never the passphrase).")
        String passphraseEnv;
        @Option(names = "--slots", defaultValue = "4", description = "Jobs this host runs at once (default ${DEFAULT-VALUE}).")
        int slots;
        @Option(names = "--known-hosts", paramLabel = "FILE", description = "known_hosts file (default ~/.ssh/known_hosts).")
        Path knownHosts;
        @Option(names = "--host-key-policy", defaultValue = "strict", description = "strict, accept-new or insecure (default ${DEFAULT-VALUE}).")
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
            problem = problem != null ? problem : !Files.isReadable(identity) ? "cannot read key file " + identity
                    : slots < 1 ? "--slots must be at least 1"
                    : passphraseEnv != null && !io.caravan.core.ssh.Secret.validEnvName(passphraseEnv)
                    ? "--passphrase-env must name an environment variable ([A-Za-z_][A-Za-z0-9_]*), not hold the passphrase" : null;
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
                pools.addHost(pool, new StoredConnection(name, at.host(), at.port(), at.user(),
                        identity.toAbsolutePath().toString(), kh.toAbsolutePath().toString(), policy)
                        .withPassphraseEnv(passphraseEnv), slots, Instant.now());
            } catch (IllegalArgumentException e) {
                err.println("pool add-ssh: " + e.getMessage());
                return INVALID;
            }
            out.printf("pool %s: added %s@%s with %d slots%n", pool, at.user(), HostAndPort.format(at.host(), at.port()), slots);
            return 0;
        }
    }

    @Command(name = "ps", mixinStandardHelpOptions = true, description = "List pools, their hosts and slots.")
    static final class Ps extends PoolSubcommand {
        @Option(names = "--check", description = "Log in to every host (pooled, 10 s limit) and show how it answers.")
        boolean check;

        @Override
        int run(PoolStore store, PrintWriter out, PrintWriter err) {
            Map<String, List<PoolStore.PoolHost>> pools = store.pools();
            Map<String, Long> busy = new io.caravan.core.storage.RunStore(db).hosts().busyHosts();
            if (pools.isEmpty()) {
                out.println("no pools; add one with: ./caravan pool add-ssh NAME user@host[:port] -i KEY [--slots N]");
                return 0;
            }
            out.printf("%-16s  %-32s  %-12s  %s%n", "POOL", "HOST", "SLOTS", "CONNECTION");
            try (SshTransport transport = check ? SshTransport.start(SshSettings.defaults()) : null) {
                pools.forEach((pool, hosts) -> hosts.forEach(h -> out.printf("%-16s  %-32s  %-12s  %s%n", pool,
                        h.connection().user() + "@" + HostAndPort.format(h.connection().host(), h.connection().port()),
                        slots(busy.getOrDefault(HostAndPort.format(h.connection().host(), h.connection().port()), 0L), h.slots()), check ? probe(transport, h.connection()) : "not checked (--check)")));
            }
            return 0;
        }

        private static String slots(long busy, int slots) {
            return busy + " busy/" + Math.max(0, slots - busy) + " free";
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
