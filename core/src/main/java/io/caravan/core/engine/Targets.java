package io.caravan.core.engine;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.caravan.core.jobs.HostPool;
import io.caravan.core.ssh.SshTarget;
import io.caravan.core.workflow.ConnectionDefinition;
import io.caravan.core.workflow.PoolDefinition;
import io.caravan.core.workflow.WorkflowDefinition;

/** Resolves a task's {@code target:} (where it may go): a connection of the workflow, a pool of the workflow, or a stored pool. */
final class Targets {
    private final WorkflowDefinition workflow;
    private final PoolDirectory stored;
    private final Map<String, Resolved> cache = new ConcurrentHashMap<>();

    Targets(WorkflowDefinition workflow, PoolDirectory stored) {
        this.workflow = workflow;
        this.stored = stored;
    }

    record Resolved(SshTarget target, HostPool pool) {}

    /** Resolved once per run (a target is where a task may go; a placement is where its job went): a fan-out of a thousand asks a thousand times. */
    Resolved of(String name) {
        return name == null ? new Resolved(null, null) : cache.computeIfAbsent(name, this::resolve);
    }

    private Resolved resolve(String name) {
        if (name == null) {
            return new Resolved(null, null);
        }
        ConnectionDefinition connection = workflow.connections().get(name);
        if (connection != null) {
            return new Resolved(connection.toTarget(workflow.connections()), null);
        }
        PoolDefinition pool = workflow.pools().get(name);
        if (pool != null) {
            List<HostPool.Member> members = pool.hosts().stream()
                    .map(h -> new HostPool.Member(
                            workflow.connections().get(h).toTarget(workflow.connections()),
                            pool.slots(),
                            pool.capacity(h)))
                    .toList();
            return new Resolved(null, new HostPool(name, members));
        }
        return new Resolved(
                null,
                stored.find(name)
                        .orElseThrow(() -> new IllegalStateException("no connection or pool named '" + name + "'")));
    }
}
