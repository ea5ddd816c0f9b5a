package io.caravan.app.workflow;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.caravan.app.sandbox.Sandbox;
import io.caravan.app.session.ConsoleCommand;
import io.caravan.app.session.EngineSession;
import io.caravan.app.session.StoredWorkflow;
import io.caravan.core.runs.RunState;
import io.caravan.core.ssh.HostAndPort;
import io.caravan.core.storage.Run;
import io.caravan.core.workflow.ConnectionDefinition;
import io.caravan.core.workflow.InvalidWorkflowException;
import io.caravan.core.workflow.WorkflowDefinition;
import io.caravan.core.workflow.WorkflowLimits;
import io.caravan.core.workflow.WorkflowLoader;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** One run in the foreground with live progress (SPEC §6). */
@Command(
        name = "run",
        mixinStandardHelpOptions = true,
        description = "Run a workflow now, in the foreground.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:the run succeeded", "1:the run failed", "2:the input is invalid"})
public final class RunCommand extends ConsoleCommand {
    @ArgGroup(multiplicity = "1")
    What what;

    static final class What {
        @Parameters(paramLabel = "FILE", description = "Workflow YAML file.")
        Path file;

        @Option(
                names = "--resume",
                paramLabel = "RUN",
                description =
                        "Continue a run whose process died, or a failed run whose jobs were left on a host that was"
                                + " given up on (they are adopted); tasks that succeeded are not run again.")
        String resume;
    }

    @Option(names = "--set", paramLabel = "NAME=VALUE", description = "Override a param (repeatable).")
    Map<String, String> sets = new LinkedHashMap<>();

    @Option(
            names = "--sandbox",
            description = "Try the workflow against an embedded SSH host on 127.0.0.1 (a fresh key,"
                    + " a scratch working area): every connection, pool and sshx: endpoint goes there; tasks that need a batch"
                    + " scheduler (slurm_job) are refused before anything runs.")
    boolean sandbox;

    @Option(
            names = "--report",
            paramLabel = "FILE.json",
            description = "Write a JSON report: state, tasks, wall_ms, cleanup_debts, ssh per host.")
    Path report;

    @Override
    protected int run(Path home, PrintWriter out, PrintWriter err) throws Exception {
        if (sandbox && what.resume != null) {
            err.println("--sandbox runs a workflow FILE; a resumed run continues where it ran");
            err.flush();
            return ValidateCommand.INVALID;
        }
        String yaml = null;
        if (what.file != null) {
            try {
                yaml = WorkflowLoader.readYaml(
                        what.file, WorkflowLimits.DEFAULTS); // before a database is opened for it
            } catch (InvalidWorkflowException e) {
                e.errors().forEach(err::println);
                err.flush();
                return ValidateCommand.INVALID;
            }
        }
        try (Sandbox box = sandbox ? Sandbox.start() : null;
                EngineSession session = session(home, box)) {
            Run run;
            WorkflowDefinition workflow;
            try {
                if (what.resume != null) {
                    run = session.store().run(what.resume).orElse(null);
                    if (run == null) {
                        err.println("no run " + what.resume + " (see ./caravan runs)");
                        return ValidateCommand.INVALID;
                    }
                    // a failed run is resumable if jobs of it were left on a host that was given up on (seen below)
                    boolean mayHaveLeftJobs =
                            run.state() == RunState.FAILED && !Sandbox.TRIGGERS.contains(run.trigger());
                    String why = mayHaveLeftJobs ? null : cannotResume(run);
                    if (why != null) {
                        err.println(why);
                        err.flush();
                        return ValidateCommand.INVALID;
                    }
                    workflow = StoredWorkflow.of(run, session.loader());
                    if (run.state().finished()) {
                        if (session.engine().takeUpLeftOnHost(run, workflow) == 0) {
                            err.println(cannotResume(run));
                            err.flush();
                            return ValidateCommand.INVALID;
                        }
                        run = session.store().run(run.id()).orElseThrow();
                    }
                } else {
                    workflow = session.loader().parse(what.file, yaml, sets);
                    if (box != null) {
                        List<String> refused = Sandbox.refusals(workflow);
                        if (!refused.isEmpty()) {
                            refused.forEach(err::println);
                            err.flush();
                            return ValidateCommand.INVALID;
                        }
                        spec.commandLine().getOut().println(box.banner(workflow));
                        workflow = box.apply(workflow, WorkflowLoader.uncheckedTargets(workflow));
                    }
                    run = session.engine().create(workflow, box != null ? Sandbox.TRIGGER : "manual", yaml);
                }
            } catch (InvalidWorkflowException e) {
                e.errors().forEach(err::println);
                err.flush();
                return ValidateCommand.INVALID;
            }
            return execute(session, run, workflow);
        }
    }

    /** The engine, with sshx: pointed at the sandbox host when there is one (before Camel starts). */
    private EngineSession session(Path home, Sandbox box) {
        EngineSession session = new EngineSession(home, database);
        if (box != null) {
            box.install(session.camel());
        }
        return session.startCamel();
    }

    /** Why a run cannot be resumed, or null. */
    private static String cannotResume(Run run) {
        if (run.state().finished()) {
            return "run " + run.id() + " has already ended ("
                    + run.state().name().toLowerCase(Locale.ROOT)
                    + ") and cannot be resumed; start the workflow again for a new run";
        }
        return Sandbox.cannotContinue(run); // its stored workflow names the real hosts
    }

    private int execute(EngineSession session, Run run, WorkflowDefinition workflow) throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        out.printf(
                "run %s of workflow '%s' (%d tasks)%s%n",
                run.id(), workflow.id(), workflow.tasks().size(), what.resume != null ? ", resumed" : "");
        out.flush();
        RunProgress progress = new RunProgress(workflow.tasks().keySet(), System.err);
        long start = System.nanoTime();
        RunState end = what.resume != null
                ? session.engine().resume(run, workflow, progress)
                : session.engine().run(run, workflow, progress);
        long wall = (System.nanoTime() - start) / 1_000_000;
        session.settleCleanups(run.id());
        Map<String, Object> report = RunReport.of(
                run.id(),
                workflow.id(),
                end,
                wall,
                session.store(),
                session.transport(),
                hosts(workflow, session),
                session.jobStats(),
                session.cleanupDebts().count());
        out.println(RunSummary.of(run.id(), end, Duration.ofMillis(wall), session.store()));
        hosts(workflow, session)
                .forEach(host -> out.println(RunSummary.ssh(session.transport().stats(host))));
        out.println(RunSummary.debts(((Number) report.get("cleanup_debts")).intValue()));
        if (this.report != null) {
            RunReport.write(this.report, report);
            out.println("report written to " + this.report);
        }
        out.println("next: ./caravan tasks " + run.id() + "   ./caravan logs " + run.id() + " TASK");
        out.flush();
        return end == RunState.SUCCEEDED ? 0 : 1;
    }

    /** The workflow's own connections and every host a pool sent jobs to. */
    private static List<String> hosts(WorkflowDefinition workflow, EngineSession session) {
        Set<String> hosts = new TreeSet<>();
        workflow.connections().values().forEach(c -> hosts.add(hostOf(c)));
        session.jobStats().keySet().stream()
                .filter(p -> p.target() != null)
                .forEach(p -> hosts.add(p.target().hostAndPort()));
        return List.copyOf(hosts);
    }

    static String hostOf(ConnectionDefinition c) {
        return HostAndPort.format(c.host(), c.port());
    }
}
