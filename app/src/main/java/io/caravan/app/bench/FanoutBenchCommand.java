package io.caravan.app.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;

import io.caravan.app.bench.fanout.FanoutBench;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The same fan-out of N trivial remote jobs (submit, wait, collect the output, remove the directory) five
 * ways, side by side against real sshd instances with default limits: Caravan, the floor (four hand-written
 * commands per host over an open connection), stock camel-ssh with a connection per command, the same
 * throttled to 8 handshakes, and OpenSSH's ControlMaster.
 */
@Command(
        name = "fanout",
        mixinStandardHelpOptions = true,
        description =
                "Caravan vs. the floor vs. camel-ssh per command vs. throttled vs. ssh ControlMaster, on real sshd.")
public final class FanoutBenchCommand implements Callable<Integer> {
    @Option(
            names = "--jobs",
            split = ",",
            defaultValue = "100,1000",
            description = "Fan-out sizes (default ${DEFAULT-VALUE}).")
    List<Integer> jobs;

    @Option(
            names = "--hosts",
            defaultValue = "1",
            description = "sshd instances the jobs spread over (default ${DEFAULT-VALUE}).")
    int hosts;

    @Option(
            names = "--parallel",
            defaultValue = "100",
            description = "Jobs in flight for the per-command approaches (default ${DEFAULT-VALUE}).")
    int parallel;

    @Option(
            names = "--approaches",
            defaultValue = "A,F,G,R,B,C,D",
            description = "Which approaches to run; A (Caravan,"
                    + " the baseline of the x A ratios) always runs; F (the floor) is the baseline of the x F ratios;"
                    + " R is A as a whole caravan run process (default ${DEFAULT-VALUE}).")
    String approaches;

    @Option(
            names = "--json",
            defaultValue = "bench-fanout.json",
            description = "Where the figures go (default ${DEFAULT-VALUE}).")
    Path json;

    @Override
    public Integer call() throws Exception {
        // stock camel-ssh's connection failures are the point of approach B: counted, not logged line by line
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.sshd", "error");
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.camel", "error");
        Set<Character> others = new TreeSet<>();
        for (String a : approaches.split(",")) {
            String name = a.strip().toUpperCase(Locale.ROOT);
            if (!name.matches("[ABCDFGR]")) {
                System.err.println("bench fanout: --approaches: '" + a.strip() + "' is not one of A, B, C, D, F, G, R");
                return 2;
            }
            others.add(name.charAt(0));
        }
        PrintStream out = System.out;
        out.println("machine: " + Machine.describe() + "; " + hosts
                + " sshd instance(s), default limits (MaxStartups 10:30:100, MaxSessions 10)");
        List<String> rows = new ArrayList<>();
        for (int n : jobs) {
            rows.addAll(FanoutBench.run(n, hosts, parallel, others, out));
        }
        Files.writeString(json, "[\n  " + String.join(",\n  ", rows) + "\n]\n");
        out.println("figures written to " + json.toAbsolutePath());
        return 0;
    }
}
