package io.caravan.core.workflow;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Reads a workflow's {@code pools:}. Each host is a connection name, or a mapping that declares what the host
 * offers: {@code { connection: gpu1, gpus: 4, gpu_type: h100, cpus: 32, mem: 256G }}, {@code gpus: auto} to read
 * the GPUs from the host. Every problem is reported at its line and column.
 */
final class PoolReader {
    private static final Set<String> POOL_KEYS = Set.of("hosts", "slots");
    private static final Set<String> HOST_KEYS = Set.of("connection", "gpus", "gpu_type", "cpus", "mem");

    private PoolReader() {}

    static Map<String, PoolDefinition> read(
            MappingReader top, Map<String, ConnectionDefinition> connections, Problems problems) {
        Map<String, PoolDefinition> pools = new LinkedHashMap<>();
        top.node("pools")
                .map(n -> MappingReader.entries(n, problems, "pools"))
                .orElse(Map.of())
                .forEach((name, tuple) -> MappingReader.of(
                                tuple.getValueNode(), problems, "pool '" + name + "'", POOL_KEYS)
                        .ifPresent(p -> {
                            if (connections.containsKey(name)) {
                                problems.at(
                                        tuple.getKeyNode(),
                                        "pool '" + name + "' has the name of a connection: targets would be ambiguous");
                            }
                            List<String> hosts = new ArrayList<>();
                            Map<String, HostCapacity> capacities = new LinkedHashMap<>();
                            Node list = p.node("hosts").orElse(null);
                            for (Node host : list == null
                                    ? List.<Node>of()
                                    : list instanceof SequenceNode seq ? seq.getValue() : List.of(list)) {
                                String connection = host(name, host, capacities, problems);
                                if (connection == null) {
                                    continue;
                                }
                                if (!connections.containsKey(connection)) {
                                    problems.at(
                                            host,
                                            "pool '" + name + "' lists unknown connection '" + connection + "'"
                                                    + Suggestions.didYouMean(connection, connections.keySet()));
                                }
                                hosts.add(connection);
                            }
                            if (hosts.isEmpty()) {
                                problems.at(
                                        tuple.getKeyNode(),
                                        "pool '" + name + "' needs 'hosts:' with at least one connection");
                            }
                            pools.put(
                                    name,
                                    new PoolDefinition(
                                            name, hosts, p.integer("slots", 1).orElse(1), capacities));
                        }));
        return pools;
    }

    /** One entry of {@code hosts:}: its connection name (null when unreadable), its capacity put in {@code capacities}. */
    private static String host(String pool, Node host, Map<String, HostCapacity> capacities, Problems problems) {
        if (host instanceof ScalarNode scalar) {
            return scalar.getValue();
        }
        String where = "a host of pool '" + pool + "'";
        MappingReader h = MappingReader.of(host, problems, where, HOST_KEYS).orElse(null);
        if (h == null) {
            return null;
        }
        String connection = h.requiredText("connection").orElse(null);
        boolean auto = h.text("gpus").map("auto"::equals).orElse(false);
        List<Integer> gpus = auto
                ? List.of()
                : h.integer("gpus", 0).map(HostCapacity::indices).orElse(List.of());
        MemorySize mem = h.text("mem")
                .map(t -> {
                    try {
                        return MemorySize.parse(t);
                    } catch (IllegalArgumentException e) {
                        problems.at(h.node("mem").orElseThrow(), "'mem' in " + where + ": " + e.getMessage());
                        return null;
                    }
                })
                .orElse(null);
        HostCapacity capacity = new HostCapacity(
                gpus,
                auto,
                h.text("gpu_type").orElse(null),
                h.integer("cpus", 1).orElse(0),
                mem);
        if (connection != null && capacities.put(connection, capacity) != null) {
            problems.at(host, "pool '" + pool + "' lists connection '" + connection + "' twice");
        }
        return connection;
    }
}
