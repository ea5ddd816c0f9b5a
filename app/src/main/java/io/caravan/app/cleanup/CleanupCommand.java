package io.caravan.app.cleanup;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

import io.caravan.app.session.DatabaseCommand;
import io.caravan.app.session.StoreSession;
import io.caravan.core.cleanup.CleanupDebts;
import io.caravan.core.jobs.JobSupervisors;
import io.caravan.core.ssh.HostAndPort;
import io.caravan.core.ssh.SshSettings;
import io.caravan.core.ssh.SshTransport;
import io.caravan.core.storage.CleanupDebt;
import io.caravan.core.storage.DebtStore;
import io.caravan.spi.JobDirectory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Cleanup debts (job directories that could not be removed) and the sweep of orphaned job directories. */
@Command(
        name = "cleanup",
        mixinStandardHelpOptions = true,
        description = "Show and settle cleanup debts; sweep orphaned job directories.",
        subcommands = {
            CleanupCommand.Ls.class,
            CleanupCommand.Retry.class,
            SweepCommand.class,
            CommandLine.HelpCommand.class
        })
public final class CleanupCommand implements Runnable {
    static final int INVALID = 2;

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /** The subcommands: each works on the database (and, for what reaches hosts, opens a transport itself). */
    abstract static class CleanupSubcommand extends DatabaseCommand {}

    @Command(name = "ls", mixinStandardHelpOptions = true, description = "List cleanup debts.")
    static final class Ls extends CleanupSubcommand {
        @Override
        protected int run(StoreSession session, PrintWriter out, PrintWriter err) {
            List<CleanupDebt> debts = new DebtStore(session.database()).all(Instant.now());
            if (debts.isEmpty()) {
                out.println("no cleanup debts");
                return 0;
            }
            out.printf(
                    "%-6s  %-28s  %-60s  %-8s  %-20s  %s%n",
                    "ID", "HOST", "JOB DIRECTORY", "TRIES", "NEXT TRY", "REASON");
            for (CleanupDebt d : debts) {
                out.printf(
                        "%-6d  %-28s  %-60s  %-8d  %-20s  %s%n",
                        d.id(),
                        d.user() + "@" + HostAndPort.format(d.host(), d.port()),
                        JobDirectory.path(d.baseDir(), d.jobId()),
                        d.attempts() + 1,
                        d.nextAttemptAt().truncatedTo(ChronoUnit.SECONDS),
                        d.reason());
            }
            out.println(debts.size() + " debt(s); retry now with: ./caravan cleanup retry --all");
            return 0;
        }
    }

    @Command(name = "retry", mixinStandardHelpOptions = true, description = "Try to remove owed job directories now.")
    static final class Retry extends CleanupSubcommand {
        @Parameters(paramLabel = "ID", arity = "0..*", description = "Debt ids (see cleanup ls).")
        List<Long> ids = List.of();

        @Option(names = "--all", description = "Every debt.")
        boolean all;

        @Override
        protected int run(StoreSession session, PrintWriter out, PrintWriter err) {
            if (all == !ids.isEmpty()) {
                err.println("cleanup retry: give debt ids or --all (see ./caravan cleanup ls)");
                return INVALID;
            }
            DebtStore store = new DebtStore(session.database());
            List<CleanupDebt> chosen = store.all(Instant.now()).stream()
                    .filter(d -> all || ids.contains(d.id()))
                    .toList();
            if (!all && chosen.size() != ids.size()) {
                err.println("cleanup retry: no debt with id "
                        + ids.stream()
                                .filter(id -> chosen.stream().noneMatch(d -> d.id() == id))
                                .toList());
                return INVALID;
            }
            try (SshTransport transport = SshTransport.start(SshSettings.defaults())) {
                CleanupDebts.Settlement s = new CleanupDebts(
                                store, JobSupervisors.backends(transport)::apply, Clock.systemUTC())
                        .retry(chosen);
                out.printf(
                        "removed %d; still owed %d%n",
                        s.removed(), s.stillOwed().size());
                s.stillOwed().forEach(d -> out.println("  " + d));
                return s.stillOwed().isEmpty() ? 0 : 1;
            }
        }
    }
}
