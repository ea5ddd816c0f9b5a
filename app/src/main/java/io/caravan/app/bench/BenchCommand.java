package io.caravan.app.bench;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Benchmarks that print figures; timing goals live here, not in timed tests. */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks against a real OpenSSH sshd started on loopback.",
        subcommands = {
            ExecBenchCommand.class,
            EngineBenchCommand.class,
            JobsBenchCommand.class,
            FanoutBenchCommand.class,
            ScaleBenchCommand.class,
            CommandLine.HelpCommand.class
        })
public final class BenchCommand implements Runnable {
    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
