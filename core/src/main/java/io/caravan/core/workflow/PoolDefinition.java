package io.caravan.core.workflow;

import java.util.List;
import java.util.Map;

/**
 * A host pool declared in a workflow: tasks aimed at it run on whichever host has a free slot and, for a task
 * with {@code resources:}, all that it asks for free.
 *
 * @param hosts      connection names
 * @param slots      jobs each host runs at once
 * @param capacities what each host (by connection name) declares it offers; a host not in it declares nothing
 */
public record PoolDefinition(String name, List<String> hosts, int slots, Map<String, HostCapacity> capacities) {

    public PoolDefinition {
        hosts = List.copyOf(hosts);
        capacities = Map.copyOf(capacities);
    }

    public PoolDefinition(String name, List<String> hosts, int slots) {
        this(name, hosts, slots, Map.of());
    }

    public HostCapacity capacity(String host) {
        return capacities.getOrDefault(host, HostCapacity.NONE);
    }
}
