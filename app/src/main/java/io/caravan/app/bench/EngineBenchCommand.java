package io.caravan.app.bench;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.Callable;

import io.caravan.core.engine.Engine;
import io.caravan.core.engine.EngineSettings;
import io.caravan.core.engine.RunListener;
import io.caravan.core.engine.TaskExecutors;
import io.caravan.core.engine.TaskResult;
import io.caravan.core.runs.RunState;
import io.caravan.core.runs.TaskState;
import io.caravan.core.storage.Database;
import io.caravan.core.storage.DatabaseConfig;
import io.caravan.core.storage.Run;
import io.caravan.core.storage.RunStore;
import io.caravan.core.workflow.TaskKind;
import io.caravan.core.workflow.TaskKinds;
import io.caravan.core.workflow.Template;
import io.caravan.core.workflow.WorkflowDefinition;
import io.caravan.core.workflow.WorkflowLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Engine throughput with trivial in-process tasks, so the figure is the engine and its database:
 * task-state transitions per second (create → ready, claim → running, end → succeeded: 3 per item),
 * and the heap a large fan-out holds. Each database runs the fan-out {@code --rounds} times, one after the other on the
 * same database: the first round pays the JVM's cold start (class loading, the JIT's first pass over the engine, the
 * driver and the database's code), the later ones are the engine's steady pace over a database with history.
 */
@Command(
        name = "engine",
        mixinStandardHelpOptions = true,
        description = "Task-state transitions/s on H2 and PostgreSQL, and heap used by a large fan-out.")
public final class EngineBenchCommand implements Callable<Integer> {
    @Option(names = "--items", defaultValue = "10000", description = "Items of the fan-out (default ${DEFAULT-VALUE}).")
    int items;

    @Option(
            names = "--postgres",
            defaultValue = "jdbc:postgresql://127.0.0.1:5432/test?user=postgres",
            description =
                    "PostgreSQL to measure too, in a throw-away schema; 'none' to skip (default ${DEFAULT-VALUE}).")
    String postgres;

    @Option(
            names = "--rounds",
            defaultValue = "2",
            description = "Fan-outs per database, one after the other; the first runs cold (default ${DEFAULT-VALUE}).")
    int rounds;

    record Figure(
            String database, int items, long wallMillis, double transitionsPerSecond, long heapMiB, RunState state) {
        String row() {
            return String.format(
                    Locale.ROOT,
                    "%-14s %8d %9d %14.0f %12d  %s",
                    database,
                    items,
                    wallMillis,
                    transitionsPerSecond,
                    heapMiB,
                    state.name().toLowerCase(Locale.ROOT));
        }
    }

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        if (items < 1 || rounds < 1) {
            System.err.println("bench engine: needs --items >= 1 and --rounds >= 1");
            return 2;
        }
        List<Figure> figures = new ArrayList<>();
        try (Scratch scratch = Scratch.create("caravan-bench-engine-")) {
            measureAll(figures, scratch.dir());
        }
        out.println("machine: " + Machine.describe());
        out.println(String.format(
                Locale.ROOT,
                "%-14s %8s %9s %14s %12s  %s",
                "database",
                "items",
                "wall ms",
                "transitions/s",
                "heap MiB",
                "state"));
        figures.forEach(f -> out.println(f.row()));
        return figures.stream().allMatch(f -> f.state() == RunState.SUCCEEDED) ? 0 : 1;
    }

    private void measureAll(List<Figure> figures, Path home) throws Exception {
        try (Database h2 = Database.open(DatabaseConfig.embedded(home))) {
            measureRounds(figures, "h2 (file)", h2, home);
        }
        if (!postgres.equals("none")) {
            String schema = "caravan_bench_" + UUID.randomUUID().toString().replace("-", "");
            sql(postgres, "CREATE SCHEMA " + schema);
            try (Database pg = Database.open(DatabaseConfig.of(postgres + "&currentSchema=" + schema))) {
                measureRounds(figures, "postgresql", pg, home);
            } finally {
                sql(postgres, "DROP SCHEMA " + schema + " CASCADE");
            }
        }
    }

    private void measureRounds(List<Figure> figures, String name, Database db, Path home) throws Exception {
        for (int round = 1; round <= rounds; round++) {
            figures.add(measure(name + " #" + round, db, home));
        }
    }

    private Figure measure(String name, Database db, Path home) throws Exception {
        TaskExecutors executors = new TaskExecutors().register("noop", inv -> TaskResult.success(inv.item(), null));
        TaskKinds kinds = TaskKinds.builtIn().register(TaskKind.scalar("noop", Template.Quoting.PLAIN, false));
        Path file = Files.writeString(home.resolve("bench.yaml"), """
                workflow: engine-bench
                params: { items: %d }
                tasks:
                  fan: { expand: { range: "{{ params.items }}" }, max_active: 256, noop: go }
                """.formatted(items));
        WorkflowDefinition workflow = new WorkflowLoader(kinds).load(file);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        PeakHeap peak = new PeakHeap(memory);
        try (Engine engine = new Engine(
                new RunStore(db),
                executors,
                new EngineSettings("bench", Duration.ofMinutes(5), Duration.ofMillis(50), 32, home.resolve("logs")),
                Clock.systemUTC())) {
            System.gc();
            long start = System.nanoTime();
            Run run = engine.create(workflow, "bench", "");
            RunState state = engine.run(run, workflow, peak);
            long wall = Math.max(1, (System.nanoTime() - start) / 1_000_000);
            return new Figure(name, items, wall, 3.0 * items / (wall / 1000.0), peak.mib(), state);
        }
    }

    /** Samples used heap as attempts end: what the engine holds while the fan-out is in flight. */
    private static final class PeakHeap implements RunListener {
        private final MemoryMXBean memory;
        private volatile long peak;
        private int n;

        PeakHeap(MemoryMXBean memory) {
            this.memory = memory;
        }

        @Override
        public void attemptEnded(String taskId, int itemIndex, TaskState state, String error) {
            if (++n % 500 == 0) {
                peak = Math.max(peak, memory.getHeapMemoryUsage().getUsed());
            }
        }

        long mib() {
            return peak >> 20;
        }
    }

    private static void sql(String url, String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(url);
                Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
