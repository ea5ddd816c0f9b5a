package io.caravan.app.cluster;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.caravan.app.session.DatabaseCommand;
import io.caravan.app.session.StoreSession;
import io.caravan.core.cluster.ClusterSettings;
import io.caravan.core.storage.ClusterStore;
import io.caravan.core.storage.HostLease;
import io.caravan.core.storage.Node;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code caravan nodes}: the servers sharing this database, their heartbeats and the hosts each owns. */
@Command(
        name = "nodes",
        mixinStandardHelpOptions = true,
        description = "List the engine nodes (caravan server processes) on this database and the SSH hosts each owns.")
public final class NodesCommand extends DatabaseCommand {
    @Option(names = "--all", description = "Also nodes that stopped or died more than an hour ago.")
    boolean all;

    @Override
    protected int run(StoreSession session, PrintWriter out, PrintWriter err) {
        ClusterStore cluster = new ClusterStore(session.database());
        Instant now = Instant.now();
        Duration ttl = ClusterSettings.fromSystemProperties().ttl();
        Map<String, List<String>> hosts = new TreeMap<>(cluster.leases().stream()
                .filter(l -> l.expiresAt().isAfter(now))
                .collect(Collectors.groupingBy(
                        HostLease::nodeId, Collectors.mapping(HostLease::host, Collectors.toList()))));
        List<Node> nodes = cluster.nodes().stream()
                .filter(n -> all || n.liveAt(now, ttl) || n.heartbeatAt().isAfter(now.minus(Duration.ofHours(1))))
                .toList();
        if (nodes.isEmpty()) {
            out.println("no nodes: start one with `caravan server`");
            return 0;
        }
        out.printf(
                "%-44s  %-20s  %-8s  %-8s  %-14s  %s%n", "NODE", "MACHINE", "PID", "STATE", "HEARTBEAT", "HOSTS OWNED");
        for (Node n : nodes) {
            String state = n.stoppedAt() != null ? "stopped" : n.liveAt(now, ttl) ? "live" : "dead";
            out.printf(
                    Locale.ROOT,
                    "%-44s  %-20s  %-8d  %-8s  %-14s  %s%n",
                    n.id(),
                    n.machine(),
                    n.pid(),
                    state,
                    ago(Duration.between(n.heartbeatAt(), now)),
                    String.join(", ", hosts.getOrDefault(n.id(), List.of())));
        }
        return 0;
    }

    private static String ago(Duration d) {
        long s = Math.max(0, d.toSeconds());
        return s < 120 ? s + " s ago" : s < 7200 ? s / 60 + " min ago" : s / 3600 + " h ago";
    }
}
