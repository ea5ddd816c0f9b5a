package io.caravan.app.bench;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import io.caravan.app.bench.scale.ScaleBench;
import io.caravan.app.bench.scale.ScaleResult;
import io.caravan.core.workflow.Durations;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * M remote jobs active at once over N real sshd instances on loopback, through the whole engine (a workflow's
 * fan-out of {@code remote_job} items on an embedded database); ends with one line of figures. Progress goes to
 * stderr. Run it with the heap the target allows: {@code CARAVAN_JAVA_OPTS=-Xmx512m}.
 */
@Command(
        name = "scale",
        mixinStandardHelpOptions = true,
        description =
                "M active remote jobs over N sshd instances through the engine: heap, poll round, commands per round.")
public final class ScaleBenchCommand implements Callable<Integer> {
    @Option(
            names = "--hosts",
            defaultValue = "10",
            description = "sshd instances on loopback (default ${DEFAULT-VALUE}).")
    int hosts;

    @Option(
            names = "--jobs",
            defaultValue = "10000",
            description = "Jobs, all active at once, spread evenly (default ${DEFAULT-VALUE}).")
    int jobs;

    @Option(
            names = "--rounds",
            defaultValue = "10",
            description =
                    "Poll rounds measured on the first host while all jobs are active (default ${DEFAULT-VALUE}).")
    int rounds;

    @Option(
            names = "--poll-interval",
            defaultValue = "1s",
            description = "The jobs' poll_interval (default ${DEFAULT-VALUE}).",
            converter = DurationConverter.class)
    Duration pollInterval;

    @Option(
            names = "--dir",
            description = "Where the sshd instances, the engine's home and the jobs go; removed at the end"
                    + " (default: a new temporary directory).")
    Path dir;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (hosts < 1 || jobs < hosts || rounds < 1) {
            spec.commandLine().getErr().println("bench scale: needs --hosts >= 1, --jobs >= --hosts and --rounds >= 1");
            return 2;
        }
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        err.println("bench scale: machine: " + Machine.describe() + "; " + hosts + " sshd instance(s), default limits");
        Path where = dir != null ? dir : Files.createTempDirectory("caravan-bench-scale-");
        ScaleResult result = new ScaleBench(hosts, jobs, rounds, pollInterval, err).run(where);
        out.println(result.targets());
        out.println(result.line());
        out.flush();
        return result.ok() ? 0 : 1;
    }

    /** The workflow's duration syntax ("1s", "500ms", "2m"). */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return Durations.parse(value);
        }
    }
}
