package io.caravan.app;

import io.caravan.app.bench.BenchCommand;
import io.caravan.app.demo.DemoCommand;
import io.caravan.app.workflow.ValidateCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code caravan} command line. */
@Command(name = "caravan", mixinStandardHelpOptions = true, versionProvider = Version.class,
         description = "Runs batch jobs on SSH hosts over a few pooled connections per host.",
         subcommands = {DemoCommand.class, ValidateCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        return cli;
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
