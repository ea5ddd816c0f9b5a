package io.caravan.app.demo;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import io.caravan.app.sandbox.Sandbox;
import io.caravan.app.session.CaravanHome;
import io.caravan.app.session.DatabaseOptions;
import io.caravan.app.session.EngineSession;
import io.caravan.app.workflow.RunProgress;
import io.caravan.app.workflow.RunSummary;
import io.caravan.core.engine.AttemptLogs;
import io.caravan.core.runs.RunState;
import io.caravan.core.ssh.HostStats;
import io.caravan.core.storage.Run;
import io.caravan.core.storage.TaskInstance;
import io.caravan.core.workflow.WorkflowDefinition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The first thing to run: examples/workflows/demo.yaml (240 remote jobs render a picture tile by tile, a
 * fan-in step assembles it) against an embedded SSH server on loopback, on the embedded database, with live
 * progress, then the picture and what it took.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        description = "Run the demo workflow (240 remote jobs and a fan-in) against an embedded loopback SSH host.")
public final class DemoCommand implements Callable<Integer> {
    @Mixin
    DatabaseOptions database;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        Path home = CaravanHome.resolve();
        String yaml = demoYaml();
        // the demo is run --sandbox of its workflow: the same locked-down host, the same rewriting
        try (Sandbox host = Sandbox.start();
                EngineSession session = new EngineSession(home, database).startCamel()) {
            WorkflowDefinition workflow = host.apply(
                    session.loader().parse(Path.of("examples/workflows/demo.yaml"), yaml, Map.of()), Set.of());
            out.printf(
                    "Caravan demo: workflow '%s' (240 remote jobs, then a fan-in) against an embedded SSH host at %s%n",
                    workflow.id(), host.hostAndPort());
            out.println("home " + home + " (runs and logs stay there)");
            Run run = session.engine().create(workflow, "demo", yaml);
            long start = System.nanoTime();
            RunState end = session.engine()
                    .run(run, workflow, new RunProgress(workflow.tasks().keySet(), System.err));
            Duration wall = Duration.ofNanos(System.nanoTime() - start);
            session.settleCleanups(run.id());
            summary(
                    out,
                    session,
                    run.id(),
                    end,
                    wall,
                    session.transport().stats(host.hostAndPort()),
                    host.acceptedLogins());
            return end == RunState.SUCCEEDED ? 0 : 1;
        }
    }

    private static String demoYaml() throws Exception {
        try (InputStream in = DemoCommand.class.getResourceAsStream("demo.yaml")) {
            if (in == null) {
                throw new IllegalStateException("demo.yaml is missing from the app; rebuild with mvn package");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static void summary(
            PrintStream out,
            EngineSession session,
            String runId,
            RunState end,
            Duration wall,
            HostStats ssh,
            long serverLogins)
            throws Exception {
        TaskInstance picture = session.store().instance(runId, "picture", 0).orElse(null);
        out.println();
        Path log = picture == null
                ? null
                : AttemptLogs.find(session.logs(), runId, "picture", 0, picture.attempt(), picture.logPath());
        if (log != null && Files.exists(log)) {
            Files.readAllLines(log).forEach(l -> out.println("  " + l));
            out.println();
        }
        out.println(RunSummary.of(runId, end, wall, session.store()));
        out.println(RunSummary.ssh(ssh) + " (the embedded host counted " + serverLogins
                + (serverLogins == 1 ? " login)" : " logins)"));
        out.println(RunSummary.debts(session.cleanupDebts().count()));
        out.println(
                "A tool that connects per command would have made more than 700 handshakes (submit, poll, cleanup per job).");
        out.println();
        out.println("Next: ./caravan runs                       (this run and earlier ones)");
        out.println("      ./caravan tasks " + runId + "   (its tasks and items)");
        out.println("      ./caravan logs " + runId + " tile --item 7");
        out.println("      ./caravan server                     (schedules, triggers and Camel routes)");
    }
}
