package io.caravan.app.web;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Supplier;

import io.caravan.core.ssh.HostAndPort;
import io.caravan.core.ssh.HostStats;
import io.caravan.core.ssh.SshTransport;
import io.caravan.core.storage.ClusterStore;
import io.caravan.core.storage.PlacementStore;
import io.caravan.core.storage.PoolStore;
import io.caravan.core.storage.RunStore;
import io.caravan.core.workflow.HostCapacity;
import io.caravan.core.workflow.PoolDefinition;
import io.caravan.core.workflow.WorkflowDefinition;

/**
 * Hosts and pools: those of stored pools and of the server's workflows, with busy slots from the database,
 * the owning node, and this server's own connection figures for each.
 */
final class HostsApi {
    private final PoolStore pools;
    private final RunStore runs;
    private final ClusterStore cluster;
    private final SshTransport transport;
    private final Supplier<List<WorkflowDefinition>> workflows;

    HostsApi(
            PoolStore pools,
            RunStore runs,
            ClusterStore cluster,
            SshTransport transport,
            Supplier<List<WorkflowDefinition>> workflows) {
        this.pools = pools;
        this.runs = runs;
        this.cluster = cluster;
        this.transport = transport;
        this.workflows = workflows;
    }

    /** One pool's member: its connection's name, {@code host:port}, slots and what it offers its jobs. */
    private record Member(String pool, String connection, String host, int slots, HostCapacity capacity) {}

    Object hosts(ApiRequest r) {
        Map<String, List<Member>> byHost = new TreeMap<>();
        members()
                .forEach(m ->
                        byHost.computeIfAbsent(m.host(), h -> new ArrayList<>()).add(m));
        workflows
                .get()
                .forEach(w -> w.connections()
                        .values()
                        .forEach(c -> byHost.computeIfAbsent(
                                c.toTarget(w.connections()).hostAndPort(), h -> new ArrayList<>())));
        Map<String, Long> busy = runs.placements().busyHosts();
        Map<String, PlacementStore.HostUsage> usage = runs.placements().usageByHost();
        Instant now = Instant.now();
        Map<String, String> owners = new TreeMap<>();
        cluster.leases().stream()
                .filter(l -> l.expiresAt().isAfter(now))
                .forEach(l -> owners.put(l.host(), l.nodeId()));
        List<Object> hosts = new ArrayList<>();
        byHost.forEach((host, memberships) -> {
            HostStats s = transport.stats(host);
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("host", host);
            v.put("pools", new TreeSet<>(memberships.stream().map(Member::pool).toList()));
            OptionalInt slots = memberships.stream().mapToInt(Member::slots).max();
            v.put("slots", slots.isPresent() ? slots.getAsInt() : null); // null: the host is in no pool
            v.put("busy", busy.getOrDefault(host, 0L));
            resources(
                    v,
                    memberships.stream()
                            .map(Member::capacity)
                            .filter(HostCapacity::isDeclared)
                            .findFirst()
                            .orElse(HostCapacity.NONE),
                    usage.getOrDefault(host, PlacementStore.HostUsage.NONE));
            v.put("owner", owners.get(host));
            v.put("handshakes", s.handshakes());
            v.put("handshake_failures", s.handshakeFailureCount());
            v.put("open_connections", transport.openConnections(host));
            v.put("channels_in_use", transport.channelsInUse(host));
            v.put("channels_opened", s.channelsOpened());
            v.put("channel_refusals", s.channelRefusals());
            v.put("reconnects", s.reconnects());
            hosts.add(v);
        });
        return Map.of("hosts", hosts);
    }

    /**
     * What the host offers and what running jobs hold of it: {@code gpus} (a count; null when none are declared,
     * or {@code gpus_auto} before they are read), {@code gpu_type}, {@code gpus_busy} (index and job, per GPU
     * held), {@code cpus}/{@code cpus_reserved} and {@code mem}/{@code mem_reserved} (bytes; a limit of null: none).
     */
    private static void resources(Map<String, Object> v, HostCapacity capacity, PlacementStore.HostUsage used) {
        v.put("gpus", capacity.gpus().isEmpty() ? null : capacity.gpus().size());
        v.put("gpus_auto", capacity.gpusAuto());
        v.put("gpu_type", capacity.gpuType());
        List<Object> held = new ArrayList<>();
        used.gpus().forEach((index, job) -> held.add(Map.of("index", index, "job", job)));
        v.put("gpus_busy", held);
        v.put("cpus", capacity.cpus() == 0 ? null : capacity.cpus());
        v.put("cpus_reserved", used.cpus());
        v.put("mem", capacity.mem() == null ? null : capacity.mem().bytes());
        v.put("mem_reserved", used.memBytes());
    }

    Object pools(ApiRequest r) {
        Map<String, Long> busy = runs.placements().busyHosts();
        Map<String, List<Object>> byPool = new TreeMap<>();
        for (Member m : members()) {
            long used = busy.getOrDefault(m.host(), 0L);
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("connection", m.connection());
            v.put("host", m.host());
            v.put("slots", m.slots());
            v.put("busy", used);
            v.put("free", Math.max(0, m.slots() - used));
            v.put("capacity", m.capacity().describe());
            byPool.computeIfAbsent(m.pool(), p -> new ArrayList<>()).add(v);
        }
        List<Object> list = new ArrayList<>();
        byPool.forEach((name, hosts) -> list.add(Map.of("name", name, "hosts", hosts)));
        return Map.of("pools", list);
    }

    private List<Member> members() {
        List<Member> members = new ArrayList<>();
        pools.pools()
                .forEach((pool, hosts) -> hosts.forEach(h -> members.add(new Member(
                        pool,
                        h.connection().name(),
                        HostAndPort.format(h.connection().host(), h.connection().port()),
                        h.slots(),
                        h.capacity()))));
        for (WorkflowDefinition w : workflows.get()) {
            for (PoolDefinition p : w.pools().values()) {
                p.hosts()
                        .forEach(c -> members.add(new Member(
                                p.name(),
                                c,
                                w.connections().get(c).toTarget(w.connections()).hostAndPort(),
                                p.slots(),
                                p.capacity(c))));
            }
        }
        return members;
    }
}
