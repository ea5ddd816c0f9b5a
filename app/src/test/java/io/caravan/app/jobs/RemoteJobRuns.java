package io.caravan.app.jobs;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import io.caravan.app.Main;
import io.caravan.app.session.DatabaseOptions;
import io.caravan.core.engine.Json;
import io.caravan.core.storage.Database;
import io.caravan.core.storage.RunStore;
import io.caravan.core.storage.TaskInstanceRecord;
import io.caravan.testkit.OpenSshServer;
import picocli.CommandLine;

/** Runs workflows of remote jobs through {@code caravan run} against real sshd hosts, and reads what they left. */
final class RemoteJobRuns {
    private final Path home;

    RemoteJobRuns(Path home) {
        this.home = home;
    }

    /** A connection entry for the workflow's {@code connections:}. */
    static String connection(String name, OpenSshServer server) {
        return "  %s: { host: %s, port: %d, user: %s, identity: %s, known_hosts: %s }\n".formatted(name, server.host(),
                server.port(), server.user(), server.clientKey(), server.knownHosts());
    }

    /** What one {@code caravan run} did: its exit code, what it printed and its report. */
    record Result(int exit, String out, Map<String, Object> report) {
        String runId() {
            return (String) report.get("run_id");
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> section(String name, String key) {
            return (Map<String, Object>) ((Map<String, Object>) report.get(name)).get(key);
        }

        @SuppressWarnings("unchecked")
        Map<String, Number> tasks() {
            return (Map<String, Number>) report.get("tasks");
        }
    }

    @SuppressWarnings("unchecked")
    Result run(String name, String yaml, String... extra) throws Exception {
        Path workflow = Files.writeString(home.resolve(name + ".yaml"), yaml);
        Path report = home.resolve(name + ".report.json");
        Files.deleteIfExists(report);
        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLineForTests(new PrintWriter(out), new PrintWriter(out));
        String[] args = new String[3 + extra.length];
        args[0] = "run";
        args[1] = workflow.toString();
        args[2] = "--report=" + report;
        System.arraycopy(extra, 0, args, 3, extra.length);
        int exit = cli.execute(args);
        Map<String, Object> r = Files.exists(report) ? (Map<String, Object>) Json.read(Files.readString(report)) : Map.of();
        return new Result(exit, out.toString(), r);
    }

    /** Runs any other CLI command; its exit code and what it printed. */
    static Result cli(String... args) {
        StringWriter out = new StringWriter();
        int exit = Main.commandLineForTests(new PrintWriter(out), new PrintWriter(out)).execute(args);
        return new Result(exit, out.toString(), Map.of());
    }

    /** Every instance of a run, read from the run's database. */
    List<TaskInstanceRecord> instances(String runId) {
        try (Database db = Database.open(new DatabaseOptions().config(home))) {
            return new RunStore(db).instances(runId);
        }
    }

    static String log(TaskInstanceRecord instance) throws java.io.IOException {
        return instance.logPath() == null ? "" : Files.readString(Path.of(instance.logPath()));
    }
}
