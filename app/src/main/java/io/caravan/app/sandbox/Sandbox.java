package io.caravan.app.sandbox;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.caravan.core.ssh.HostAndPort;
import io.caravan.core.ssh.HostKeyPolicy;
import io.caravan.core.storage.Run;
import io.caravan.core.workflow.ConnectionDefinition;
import io.caravan.core.workflow.PoolDefinition;
import io.caravan.core.workflow.RemoteJobKind;
import io.caravan.core.workflow.TaskDefinition;
import io.caravan.core.workflow.Template;
import io.caravan.core.workflow.WorkflowDefinition;
import io.caravan.testkit.EmbeddedSshServer;
import org.apache.camel.CamelContext;

/**
 * {@code caravan run --sandbox}: any workflow against one embedded SSH host on 127.0.0.1 (the demo's, locked
 * down: a key generated for this run only, no password, no forwarding), whose working area is a scratch
 * directory removed at the end. Every connection of the file, every pool (the file's and the database's) and
 * every {@code sshx:} endpoint reach that host; local jobs with a relative base keep their directories in the
 * scratch area too. It is a place to try a workflow, not a security boundary: commands run as this user on
 * this machine. A task the embedded host cannot stand in for (a plugin's job type that drives a scheduler on
 * its host, such as slurm_job; Camel's own ssh: and scp:, which take their host from the URI) is refused
 * before anything runs.
 */
public final class Sandbox implements AutoCloseable {
    /** The trigger of a {@code run --sandbox} run. */
    public static final String TRIGGER = "sandbox";
    /**
     * Runs whose host lived only in their process (a sandbox's, the demo's): no other process may continue them,
     * since their stored workflow names the real hosts.
     */
    public static final Set<String> TRIGGERS = Set.of(TRIGGER, "demo");

    /** Why a run may not be continued by anyone (resume, clear, retry), or null when it may. */
    public static String cannotContinue(Run run) {
        return TRIGGERS.contains(run.trigger())
                ? "run " + run.id() + " ran on an embedded host (" + run.trigger()
                        + ") that is gone: start it again with ./caravan run --sandbox " + run.sourcePath()
                : null;
    }
    /** Slots of a stored pool stood in for by the sandbox host. */
    private static final int POOL_SLOTS = 8;

    private final EmbeddedSshServer host;
    private final Path scratch;

    private Sandbox(EmbeddedSshServer host, Path scratch) {
        this.host = host;
        this.scratch = scratch;
    }

    public static Sandbox start() throws IOException {
        EmbeddedSshServer host = EmbeddedSshServer.start();
        try {
            return new Sandbox(host, host.home());
        } catch (RuntimeException e) {
            host.close();
            throw e;
        }
    }

    /** One line per task the sandbox cannot run, naming the file and the task; empty when it can run them all. */
    public static List<String> refusals(WorkflowDefinition workflow) {
        List<String> refused = new ArrayList<>();
        for (TaskDefinition t : workflow.tasks().values()) {
            String key = t.kind().key();
            String where = workflow.source() + ":" + t.line() + ": task '" + t.id() + "' (" + key + ")";
            if (t.kind().needsTarget() && t.kind().onPools() && !key.equals(RemoteJobKind.KEY)) {
                refused.add(where + " needs its host's batch scheduler"
                        + (key.startsWith("slurm") ? " (Slurm)" : "") + ": --sandbox has only a plain SSH host;"
                        + " run it without --sandbox, on a real cluster");
            } else if (key.equals("camel")
                    && t.body() != null
                    && t.body().source().matches("(?s)\\s*(ssh|scp):.*")) {
                refused.add(
                        where + " uses Camel's own ssh:/scp:, whose host --sandbox cannot redirect; use sshx: instead");
            }
        }
        return refused;
    }

    /**
     * The workflow with every connection pointed at the sandbox host and every target that names a pool of
     * the database ({@code storedPools}) served by that host too.
     */
    public WorkflowDefinition apply(WorkflowDefinition workflow, Set<String> storedPools) {
        Map<String, ConnectionDefinition> connections = new LinkedHashMap<>();
        workflow.connections().keySet().forEach(name -> connections.put(name, connection(name)));
        String own = "sandbox";
        while (connections.containsKey(own) || workflow.pools().containsKey(own)) {
            own = "_" + own;
        }
        connections.put(own, connection(own));
        Map<String, PoolDefinition> pools = new LinkedHashMap<>(workflow.pools());
        for (TaskDefinition t : workflow.tasks().values()) {
            if (t.target() != null
                    && storedPools.contains(t.target())
                    && !pools.containsKey(t.target())
                    && !connections.containsKey(t.target())) {
                pools.put(t.target(), new PoolDefinition(t.target(), List.of(own), POOL_SLOTS));
            }
        }
        Map<String, TaskDefinition> tasks = new LinkedHashMap<>();
        workflow.tasks().forEach((id, t) -> tasks.put(id, localJobInScratch(t)));
        return new WorkflowDefinition(
                workflow.source(),
                workflow.id(),
                workflow.schedule(),
                workflow.catchup(),
                workflow.params(),
                Collections.unmodifiableMap(connections),
                Collections.unmodifiableMap(pools),
                Collections.unmodifiableMap(tasks),
                workflow.notifications(),
                workflow.limits());
    }

    /** sshx: endpoints of camel: tasks reach the sandbox host whatever host, user and key their URI names. */
    public void install(CamelContext camel) {
        camel.addComponent("sshx", new SandboxSshxComponent(host));
    }

    /** host:port of the sandbox host, as the transport's figures name it. */
    public String hostAndPort() {
        return HostAndPort.format(host.host(), host.port());
    }

    /** Sessions the sandbox host authenticated. */
    public int acceptedLogins() {
        return host.acceptedLogins();
    }

    /** What the console says before the run, so nobody takes the run for one on the real hosts. */
    public String banner(WorkflowDefinition original) {
        return "SANDBOX: every SSH connection and pool of workflow '" + original.id()
                + "' goes to an embedded SSH host at " + hostAndPort()
                + " (a fresh key, loopback only); its working area " + scratch + " is removed at the end."
                + " Commands run as " + host.user()
                + " on this machine: a sandbox for trying, not a security boundary.";
    }

    private ConnectionDefinition connection(String name) {
        return new ConnectionDefinition(
                name,
                host.host(),
                host.port(),
                host.user(),
                host.clientKey(),
                host.knownHosts(),
                HostKeyPolicy.STRICT,
                null);
    }

    /** A local job's relative base would be relative to the working directory: it goes to the scratch area. */
    private TaskDefinition localJobInScratch(TaskDefinition t) {
        boolean localJob = !t.kind().isScalar()
                && !t.kind().needsTarget()
                && t.kind().keys().contains("workdir_base");
        if (!localJob) {
            return t;
        }
        Object base = t.options().get("workdir_base");
        String given = base instanceof Template template && template.refs().isEmpty()
                ? template.source()
                : base == null ? ".caravan/jobs" : null;
        if (given == null || Path.of(given).isAbsolute()) {
            return t;
        }
        Map<String, Object> options = new LinkedHashMap<>(t.options());
        options.put(
                "workdir_base",
                Template.parse(scratch.resolve("local").resolve(given).toString()));
        return new TaskDefinition(
                t.id(),
                t.kind(),
                t.body(),
                Collections.unmodifiableMap(options),
                t.dependsOn(),
                t.triggerRule(),
                t.retries(),
                t.retryDelay(),
                t.timeout(),
                t.target(),
                t.expand(),
                t.maxActive(),
                t.line(),
                t.notifications(),
                t.resources());
    }

    @Override
    public void close() throws IOException {
        host.close();
    }
}
