package io.caravan.app;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.OptionalInt;

import io.caravan.app.bench.BenchCommand;
import io.caravan.app.cleanup.CleanupCommand;
import io.caravan.app.cluster.NodesCommand;
import io.caravan.app.demo.DemoCommand;
import io.caravan.app.plugins.PluginsCommand;
import io.caravan.app.pool.PoolCommand;
import io.caravan.app.server.ServerCommand;
import io.caravan.app.workflow.BackfillCommand;
import io.caravan.app.workflow.ClearCommand;
import io.caravan.app.workflow.LogsCommand;
import io.caravan.app.workflow.RunCommand;
import io.caravan.app.workflow.RunsCommand;
import io.caravan.app.workflow.TasksCommand;
import io.caravan.app.workflow.TriggerCommand;
import io.caravan.app.workflow.ValidateCommand;
import io.caravan.core.storage.DatabaseHolder;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code caravan} command line. */
@Command(
        name = "caravan",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Runs batch jobs on SSH hosts over a few pooled connections per host.",
        subcommands = {
            DemoCommand.class,
            RunCommand.class,
            ValidateCommand.class,
            RunsCommand.class,
            TasksCommand.class,
            LogsCommand.class,
            TriggerCommand.class,
            ClearCommand.class,
            BackfillCommand.class,
            PoolCommand.class,
            CleanupCommand.class,
            PluginsCommand.class,
            ServerCommand.class,
            NodesCommand.class,
            BenchCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    /** Where plugin JARs are (instead of CARAVAN_HOME/plugins), for every command. */
    @CommandLine.Option(
            names = "--plugins",
            paramLabel = "DIR",
            scope = CommandLine.ScopeType.INHERIT,
            description = "Plugin directory (default CARAVAN_HOME/plugins).")
    void plugins(Path dir) {
        System.setProperty("caravan.plugins", dir.toAbsolutePath().toString());
    }

    public static void main(String[] args) {
        // Hibernate logs through JBoss Logging, which would otherwise pick java.util.logging and flood stderr
        System.setProperty("org.jboss.logging.provider", "slf4j");
        // names this process in the embedded database's holder file: "held by `caravan server` (pid …)"
        System.setProperty(
                DatabaseHolder.COMMAND_PROPERTY,
                "caravan" + (args.length > 0 && !args[0].startsWith("-") ? " " + args[0] : ""));
        PrintWriter out = new PrintWriter(System.out);
        OptionalInt quick = QuickStart.run(args, out, new PrintWriter(System.err));
        System.exit(quick.isPresent() ? quick.getAsInt() : commandLine().execute(args));
    }

    /** The CLI writing to the given streams, as tests drive it. */
    public static CommandLine commandLineForTests(PrintWriter out, PrintWriter err) {
        CommandLine cli = commandLine();
        cli.setOut(out);
        cli.setErr(err);
        return cli;
    }

    static CommandLine commandLine() {
        // through CommandFailure, not here: verifying main() would otherwise load picocli's classes for QuickStart's
        // commands too, which never use them
        return CommandFailure.handling(new CommandLine(new Main()));
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
