package io.caravan.app.bench.fanout;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.caravan.app.bench.LoopbackHosts;
import io.caravan.app.bench.Scratch;
import io.caravan.app.session.DatabaseOptions;
import io.caravan.app.session.EngineSession;
import io.caravan.core.engine.RunListener;
import io.caravan.core.runs.TaskState;
import io.caravan.core.ssh.HostAndPort;
import io.caravan.core.storage.Run;
import io.caravan.core.workflow.WorkflowDefinition;
import io.caravan.testkit.OpenSshServer;
import io.caravan.testkit.SshdLog;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;

/** The four ways of running the same fan-out, side by side. */
final class Approaches {
    private Approaches() {}

    /** A: Caravan's remote_job through the engine, on a temporary embedded database. */
    static FanoutResult caravan(Rig rig, int jobs) throws Exception {
        return caravan(rig, jobs, "a");
    }

    /** A with its jobs under the base directory of {@code approach} (a warm-up keeps its own). */
    static FanoutResult caravan(Rig rig, int jobs, String approach) throws Exception {
        String name = "A caravan remote_job";
        String yaml = workflow(rig, jobs, approach);
        Path home = Files.createTempDirectory("caravan-bench-fanout-");
        List<SshdLog.Mark> marks = rig.marks();
        try (EngineSession session = new EngineSession(home, new DatabaseOptions()).startCamel()) {
            WorkflowDefinition workflow = session.loader().parse(home.resolve("fanout.yaml"), yaml, Map.of());
            Run run = session.engine().create(workflow, "bench", yaml);
            long start = System.nanoTime();
            session.engine().run(run, workflow, new RunListener() {});
            session.jobSupervisors().flushCleanups(); // the last directories go once their outcomes are recorded
            long wall = (System.nanoTime() - start) / 1_000_000;
            long failed = session.store().countsByTask(run.id()).get("job").getOrDefault(TaskState.FAILED, 0L);
            long channels = rig.hosts.stream()
                    .mapToLong(h -> session.transport()
                            .stats(HostAndPort.format(h.host(), h.port()))
                            .channelsOpened())
                    .sum();
            return new FanoutResult(
                    name,
                    jobs,
                    rig.hosts.size(),
                    wall,
                    (int) failed,
                    rig.logins(marks),
                    rig.drops(marks),
                    channels,
                    rig.dirsLeft(approach));
        } finally {
            Scratch.deleteQuietly(home);
        }
    }

    /**
     * The fan-out workflow of A (and of R, the same through a whole {@code caravan run} process), its jobs under the
     * approach's base directory; the hosts share this machine's file system, so one base path serves all of them.
     */
    static String workflow(Rig rig, int jobs, String approach) {
        return """
                workflow: fanout
                connections:
                %s
                pools:
                  rig: { hosts: [%s], slots: %d }
                tasks:
                  job:
                    target: rig
                    expand: { range: %d }
                    max_active: %d
                    remote_job:
                      script: echo "job $ITEM"
                      cleanup: on_success
                      workdir_base: %s
                      poll_interval: 250ms
                """.formatted(
                        LoopbackHosts.connections(rig.hosts),
                        LoopbackHosts.names(rig.hosts),
                        jobs,
                        jobs,
                        jobs,
                        rig.base(0, approach));
    }

    /** B and C: stock camel-ssh, a new connection per command; {@code handshakeLimit} connections in flight, or none. */
    static FanoutResult camelSsh(Rig rig, int jobs, int parallel, int handshakeLimit) throws Exception {
        String name = handshakeLimit > 0
                ? "C camel-ssh per command, " + handshakeLimit + " in flight"
                : "B camel-ssh per command, " + parallel + " parallel";
        String approach = handshakeLimit > 0 ? "c" : "b";
        Semaphore gate = new Semaphore(handshakeLimit > 0 ? handshakeLimit : Integer.MAX_VALUE);
        List<SshdLog.Mark> marks = rig.marks();
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.start();
            try (ProducerTemplate template = camel.createProducerTemplate()) {
                PerJobSteps steps = new PerJobSteps(
                        (host, command) -> {
                            OpenSshServer h = rig.hosts.get(host);
                            gate.acquire();
                            try {
                                Exchange e = template.request(
                                        "ssh:" + h.user() + "@" + HostAndPort.format(h.host(), h.port())
                                                + "?certResource=file:" + h.clientKey() + "&timeout=30000",
                                        x -> x.getIn().setBody(command));
                                if (e.getException() != null) {
                                    throw e.getException();
                                }
                                Object exit = e.getMessage().getHeader("CamelSshExitValue");
                                if (exit != null && !exit.toString().equals("0")) {
                                    throw new IllegalStateException("exit " + exit);
                                }
                                Object body = e.getMessage().getBody();
                                return body instanceof InputStream in
                                        ? new String(in.readAllBytes(), StandardCharsets.UTF_8)
                                        : String.valueOf(body);
                            } finally {
                                gate.release();
                            }
                        },
                        rig.base(0, approach).toString());
                return timed(name, rig, marks, steps, jobs, parallel, approach);
            }
        }
    }

    /** Runs every job through a per-command approach's steps, timed, and reads its figures (B, C and D). */
    private static FanoutResult timed(
            String name, Rig rig, List<SshdLog.Mark> marks, PerJobSteps steps, int jobs, int parallel, String approach)
            throws InterruptedException {
        long start = System.nanoTime();
        int failed = steps.runAll(jobs, rig.hosts.size(), parallel);
        long wall = (System.nanoTime() - start) / 1_000_000;
        return new FanoutResult(
                name,
                jobs,
                rig.hosts.size(),
                wall,
                failed,
                rig.logins(marks),
                rig.drops(marks),
                steps.commands.get(),
                rig.dirsLeft(approach));
    }

    /** D: OpenSSH's own multiplexing, one ControlMaster per host, parallel ssh clients below MaxSessions. */
    static FanoutResult controlMaster(Rig rig, int jobs, int parallel) throws Exception {
        String name = "D ssh ControlMaster, " + parallel + " parallel clients";
        List<SshdLog.Mark> marks = rig.marks();
        List<Path> sockets = new ArrayList<>();
        for (OpenSshServer h : rig.hosts) {
            Path socket = h.workDir().resolve("cm.sock");
            sockets.add(socket);
            process(sshArgs(h, socket, "-M", "-f", "-N", "-o", "ControlPersist=600"));
        }
        try {
            PerJobSteps steps = new PerJobSteps(
                    (host, command) -> {
                        List<String> args = sshArgs(rig.hosts.get(host), sockets.get(host), "-o", "ControlMaster=no");
                        args.add(command);
                        return process(args);
                    },
                    rig.base(0, "d").toString());
            return timed(name, rig, marks, steps, jobs, parallel, "d");
        } finally {
            for (int i = 0; i < rig.hosts.size(); i++) {
                try {
                    process(sshArgs(rig.hosts.get(i), sockets.get(i), "-O", "exit"));
                } catch (Exception e) {
                    // the master is gone already
                }
            }
        }
    }

    static boolean sshClientPresent() {
        return Files.isExecutable(Path.of("/usr/bin/ssh"));
    }

    private static List<String> sshArgs(OpenSshServer h, Path socket, String... extra) {
        List<String> args = new ArrayList<>(List.of(
                "/usr/bin/ssh",
                "-S",
                socket.toString(),
                "-p",
                String.valueOf(h.port()),
                "-i",
                h.clientKey().toString(),
                "-o",
                "UserKnownHostsFile=" + h.knownHosts(),
                "-o",
                "StrictHostKeyChecking=yes",
                "-o",
                "BatchMode=yes"));
        args.addAll(List.of(extra));
        args.add(h.user() + "@" + h.host());
        return args;
    }

    private static String process(List<String> args) throws Exception {
        Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException(
                    "ssh exited " + (p.isAlive() ? "late" : p.exitValue()) + ": " + out.strip());
        }
        return out;
    }
}
