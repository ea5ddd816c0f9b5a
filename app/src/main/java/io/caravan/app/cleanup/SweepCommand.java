package io.caravan.app.cleanup;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.caravan.app.session.CaravanHome;
import io.caravan.app.session.SshEndpoint;
import io.caravan.app.session.StoreSession;
import io.caravan.core.jobs.JobPlace;
import io.caravan.core.jobs.JobSupervisors;
import io.caravan.core.ssh.HostKeyPolicy;
import io.caravan.core.ssh.SshSettings;
import io.caravan.core.ssh.SshTarget;
import io.caravan.core.ssh.SshTransport;
import io.caravan.core.storage.PoolStore;
import io.caravan.core.workflow.Durations;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Removes job directories that carry Caravan's owner marker, belong to no live job and have not changed for
 * a TTL: what an engine that died between a job's end and its cleanup left behind.
 */
@Command(
        name = "sweep",
        mixinStandardHelpOptions = true,
        description =
                "Remove orphaned job directories (ours, not running, unchanged for --ttl) on a pool's hosts or one host.")
final class SweepCommand extends CleanupCommand.CleanupSubcommand {
    @Parameters(paramLabel = "USER@HOST[:PORT]", arity = "0..1", description = "One host (with -i), instead of --pool.")
    String endpoint;

    @Option(names = "-i", paramLabel = "KEY", description = "Private key file for USER@HOST.")
    Path identity;

    @Option(
            names = "--known-hosts",
            paramLabel = "FILE",
            description = "known_hosts file (default ~/.ssh/known_hosts).")
    Path knownHosts;

    @Option(names = "--pool", paramLabel = "NAME", description = "Every host of a pool.")
    String pool;

    @Option(
            names = "--base",
            defaultValue = ".caravan/jobs",
            description = "Job base directory on the hosts (default ${DEFAULT-VALUE}).")
    String base;

    @Option(
            names = "--ttl",
            defaultValue = "24h",
            description = "Only directories unchanged for this long (default ${DEFAULT-VALUE}).")
    String ttl;

    @Option(names = "--dry-run", description = "Only say what would be removed.")
    boolean dryRun;

    @Option(
            names = "--force",
            description = "Sweep a base no known workflow configures, or with a --ttl under 10m"
                    + " (never the root or a home directory).")
    boolean force;

    @Option(
            names = "--workflows",
            paramLabel = "DIR",
            description = "The server's workflows, whose workdir_base are known"
                    + " bases (default: CARAVAN_HOME/workflows); so are those of the last runs'.")
    Path workflows;

    @Override
    protected int run(StoreSession session, PrintWriter out, PrintWriter err) {
        List<SshTarget> targets = new ArrayList<>();
        String problem = targets(session, targets);
        Duration age = null;
        try {
            age = Durations.parse(ttl);
        } catch (IllegalArgumentException e) {
            problem = problem == null ? "--ttl: " + e.getMessage() : problem;
        }
        if (problem == null) {
            SweepBase allowed = new SweepBase(
                    KnownBases.of(
                            workflows != null
                                    ? workflows
                                    : CaravanHome.resolve().resolve("workflows"),
                            session.store()),
                    SweepBase.localHomes());
            Duration given = age;
            problem = allowed.refusal(base, force)
                    .or(() -> allowed.refusal(given, force))
                    .orElse(null);
        }
        if (problem != null) {
            err.println("cleanup sweep: " + problem);
            return CleanupCommand.INVALID;
        }
        int undeletable = 0;
        int refused = 0;
        try (SshTransport transport = SshTransport.start(SshSettings.defaults())) {
            for (SshTarget target : targets) {
                List<String> lines = JobSupervisors.backends(transport)
                        .apply(new JobPlace(target, base))
                        .sweep(age, dryRun);
                if (!lines.isEmpty() && lines.get(0).startsWith("! ")) {
                    err.println("cleanup sweep: " + target + ":" + base
                            + lines.get(0).substring(1));
                    refused++;
                    continue;
                }
                out.printf(
                        "%s:%s: %d director%s looked at%n",
                        target, base, lines.size(), lines.size() == 1 ? "y" : "ies");
                for (String line : lines) {
                    out.println("  " + line);
                    undeletable += line.endsWith(" undeletable") ? 1 : 0;
                }
            }
        }
        return refused > 0 ? CleanupCommand.INVALID : undeletable == 0 ? 0 : 1;
    }

    private String targets(StoreSession session, List<SshTarget> targets) {
        if ((pool == null) == (endpoint == null)) {
            return "give a pool (--pool NAME) or one host (USER@HOST[:PORT] -i KEY)";
        }
        if (pool != null) {
            List<PoolStore.PoolHost> hosts =
                    new PoolStore(session.database()).pools().get(pool);
            if (hosts == null) {
                return "no pool '" + pool + "' (see ./caravan pool ps)";
            }
            hosts.forEach(h -> targets.add(h.connection().toTarget()));
            return null;
        }
        if (identity == null) {
            return "give the key for " + endpoint + " with -i KEY";
        }
        SshTarget target;
        try {
            target = SshEndpoint.parse(endpoint).target().withIdentity(identity, null);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        targets.add(knownHosts == null ? target : target.withKnownHosts(knownHosts, HostKeyPolicy.STRICT));
        return null;
    }
}
