package io.caravan.app.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.IntPredicate;
import java.util.stream.Collectors;

import io.caravan.core.ssh.HostAndPort;
import io.caravan.core.ssh.HostKeyPolicy;
import io.caravan.core.ssh.SshSettings;
import io.caravan.core.ssh.SshTarget;
import io.caravan.core.ssh.SshTransport;
import io.caravan.testkit.OpenSshServer;
import io.caravan.testkit.SshdLog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Exec latency and throughput on a pooled connection against a fresh connection per command, measured
 * side by side in one run against one real sshd with default limits.
 */
@Command(
        name = "exec",
        mixinStandardHelpOptions = true,
        description = "Exec latency and exec/s: pooled connection vs. a fresh connection per command.")
public final class ExecBenchCommand implements Callable<Integer> {
    @Option(
            names = "--commands",
            defaultValue = "2000",
            description = "Commands per pooled scenario (default ${DEFAULT-VALUE}).")
    int commands;

    @Option(
            names = "--fresh-commands",
            defaultValue = "100",
            description = "Commands per fresh-connection scenario (default ${DEFAULT-VALUE}); each costs a handshake.")
    int freshCommands;

    @Option(names = "--json", description = "Also write the figures to this JSON file.")
    Path json;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        List<Scenario> results = new ArrayList<>();
        try (OpenSshServer sshd = OpenSshServer.builder().start()) {
            SshTarget target = SshTarget.of(sshd.user(), sshd.host(), sshd.port())
                    .withIdentity(sshd.clientKey(), null)
                    .withKnownHosts(sshd.knownHosts(), HostKeyPolicy.STRICT);
            out.println("sshd: " + sshd.version() + " on " + HostAndPort.format(sshd.host(), sshd.port())
                    + " (default MaxStartups/MaxSessions)");
            try (SshTransport transport =
                    SshTransport.start(SshSettings.defaults().withPoolShape(1, 4))) {
                IntPredicate pooled = i -> transport.exec(target, "true").succeeded();
                TimedCommands.run(200, 4, pooled); // warm-up: JIT and the one handshake
                results.add(measure(sshd, "pooled, 1 connection, 1 channel", commands, 1, pooled));
                results.add(measure(sshd, "pooled, 1 connection, 4 channels", commands, 4, pooled));
            }
            try (FreshConnectionExec fresh = new FreshConnectionExec(
                    sshd.user(), sshd.host(), sshd.port(), sshd.clientKey(), sshd.knownHosts())) {
                IntPredicate perCommand = i -> fresh.exec("true");
                TimedCommands.run(10, 1, perCommand);
                results.add(measure(sshd, "fresh connection per command, 1", freshCommands, 1, perCommand));
                results.add(measure(sshd, "fresh connection per command, 4", freshCommands, 4, perCommand));
            }
        }
        print(out, results);
        if (json != null) {
            Files.writeString(
                    json,
                    "{\"machine\":\"" + Machine.describe() + "\",\"scenarios\":["
                            + results.stream().map(Scenario::json).collect(Collectors.joining(",")) + "]}\n");
            out.println("figures written to " + json);
        }
        return results.stream().anyMatch(s -> s.failures() > 0) ? 1 : 0;
    }

    private static Scenario measure(OpenSshServer sshd, String name, int n, int parallel, IntPredicate command)
            throws InterruptedException {
        SshdLog log = sshd.log().since(sshd.log().mark());
        TimedCommands.Measured m = TimedCommands.run(n, parallel, command);
        return new Scenario(name, n, parallel, m.wallNanos(), m.latency(), log.acceptedLogins(), m.failures());
    }

    private static void print(PrintStream out, List<Scenario> results) {
        out.println("machine: " + Machine.describe());
        out.println(Scenario.header());
        results.forEach(s -> out.println(s.row()));
        Scenario pooled1 = results.get(0);
        Scenario pooled4 = results.get(1);
        Scenario fresh1 = results.get(2);
        Scenario fresh4 = results.get(3);
        out.printf(
                Locale.ROOT,
                "median latency: pooled %.2f ms vs fresh %.2f ms (%.0fx); exec/s with 4 in parallel:"
                        + " pooled %.0f vs fresh %.0f (%.0fx)%n",
                pooled1.latency().p50(),
                fresh1.latency().p50(),
                fresh1.latency().p50() / pooled1.latency().p50(),
                pooled4.execPerSecond(),
                fresh4.execPerSecond(),
                pooled4.execPerSecond() / fresh4.execPerSecond());
    }
}
