package io.caravan.core.cluster;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.caravan.core.storage.ClusterStore;
import io.caravan.core.storage.Node;
import io.caravan.core.storage.RunStore;
import io.caravan.core.threads.DaemonThreads;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process as a member of a cluster of engines on one database. It beats, holds leases on the SSH
 * hosts it owns (taking free ones while it owns no more than any other live node, giving idle ones up
 * when it owns more than its share) and hands what a dead node held back to the live ones, so that the
 * host's new owner adopts the jobs running there.
 */
public final class ClusterNode implements HostOwnership, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterNode.class);
    /** Nodes silent for longer than this are history: nothing of theirs is left to take over. */
    private static final Duration FORGOTTEN = Duration.ofDays(1);

    private final String id;
    private final ClusterStore store;
    private final RunStore runs;
    private final ClusterSettings settings;
    private final Clock clock;
    private final Map<String, Instant> owned = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastTry = new ConcurrentHashMap<>();
    private final Set<String> buried = ConcurrentHashMap.newKeySet();
    /** How many times this node took each host: a host taken anew has its stored placements read again. */
    private final Map<String, Long> taken = new ConcurrentHashMap<>();

    private volatile List<String> live;
    private final ScheduledExecutorService beats =
            Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("caravan-cluster"));

    private ClusterNode(String id, ClusterStore store, RunStore runs, ClusterSettings settings, Clock clock) {
        this.id = id;
        this.store = store;
        this.runs = runs;
        this.settings = settings;
        this.clock = clock;
        this.live = List.of(id);
    }

    /** Registers the node (its id is the owner name on its task leases) and beats from now on. */
    public static ClusterNode join(
            String id, ClusterStore store, RunStore runs, ClusterSettings settings, Clock clock) {
        ClusterNode node = new ClusterNode(id, store, runs, settings, clock);
        long start = System.nanoTime();
        node.beat();
        if (System.nanoTime() - start > settings.heartbeat().toNanos()) {
            // the first beat ran cold (seconds, on a loaded machine): the time it wrote is stale already
            node.beatSafely();
        }
        long every = settings.heartbeat().toMillis();
        node.beats.scheduleWithFixedDelay(node::beatSafely, every, every, TimeUnit.MILLISECONDS);
        LOG.info("node {} joined; live nodes: {}", id, node.live);
        return node;
    }

    public String id() {
        return id;
    }

    public List<String> liveNodes() {
        return live;
    }

    @Override
    public boolean owns(String host) {
        Instant until = owned.get(host);
        return until != null && until.isAfter(clock.instant());
    }

    @Override
    public long taken(String host) {
        return taken.getOrDefault(host, 0L);
    }

    @Override
    public boolean mayUse(String host) {
        if (owns(host)) {
            return true;
        }
        Instant now = clock.instant();
        Instant tried = lastTry.get(host);
        if (tried != null && tried.plus(settings.heartbeat()).isAfter(now)) {
            return false; // asked on every step of every run: the database is asked once per beat
        }
        lastTry.put(host, now);
        Instant until = now.plus(settings.ttl());
        try {
            if (store.acquire(host, id, live, now, until)) {
                owned.put(host, until);
                taken.merge(host, 1L, Long::sum);
                LOG.info("node {} owns host {}", id, host);
                return true;
            }
        } catch (RuntimeException e) {
            LOG.warn("node {}: cannot take host {} now: {}", id, host, e.toString());
        }
        return false;
    }

    private void beatSafely() {
        long start = System.nanoTime();
        try {
            beat();
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            if (took.compareTo(settings.heartbeat()) > 0) {
                LOG.warn(
                        "node {}: a heartbeat took {} ms (beats every {} ms; silent for {} ms it counts as dead): the"
                                + " database or this machine is slow",
                        id,
                        took.toMillis(),
                        settings.heartbeat().toMillis(),
                        settings.ttl().toMillis());
            }
        } catch (RuntimeException e) {
            // leases not renewed lapse on their own; the next beat tries again
            LOG.warn("node {}: heartbeat failed: {}", id, e.toString());
        }
    }

    void beat() {
        Instant now = clock.instant();
        store.beat(id, machine(), ProcessHandle.current().pid(), now);
        List<Node> nodes = store.nodes();
        live = nodes.stream()
                .filter(n -> n.liveAt(now, settings.ttl()))
                .map(Node::id)
                .sorted()
                .toList();
        // this node's own leases first: taking over a dead node's work can take seconds on a loaded machine, and
        // leases renewed only after it could lapse meanwhile and go to another node (seen in ClusterOpenSshTest)
        Instant until = now.plus(settings.ttl());
        List<String> held = store.renew(id, until);
        owned.keySet().stream()
                .filter(h -> !held.contains(h))
                .forEach(h -> LOG.warn("node {} lost host {}: its lease lapsed and another node took it", id, h));
        owned.keySet().retainAll(held);
        held.stream().filter(h -> !owned.containsKey(h)).forEach(h -> taken.merge(h, 1L, Long::sum));
        held.forEach(h -> owned.put(h, until));
        // a node found gone that beats again (it was only slow) is taken over again should it really die
        buried.removeAll(live);
        nodes.stream()
                .filter(n -> n.stoppedAt() == null
                        && !n.liveAt(now, settings.ttl())
                        && n.heartbeatAt().isAfter(now.minus(FORGOTTEN))
                        && buried.add(n.id()))
                .forEach(dead -> takeOver(dead, now));
        giveUpSurplus(now);
    }

    private void takeOver(Node dead, Instant now) {
        try {
            int back = runs.recovery().reclaimOwner(dead.id(), now);
            LOG.warn(
                    "node {} is gone (last heartbeat {}); {} of its task instance(s) handed to the live nodes",
                    dead.id(),
                    dead.heartbeatAt(),
                    back);
        } catch (RuntimeException e) {
            buried.remove(dead.id()); // tried again at the next beat
            throw e;
        }
    }

    /** One idle host per beat goes back when this node owns more than one host above the least loaded node. */
    private void giveUpSurplus(Instant now) {
        Map<String, Long> perNode = store.hostsPerNode(live, now);
        long mine = perNode.getOrDefault(id, 0L);
        long least = perNode.values().stream().min(Comparator.naturalOrder()).orElse(mine);
        if (mine <= least + 1) {
            return;
        }
        Set<String> busy = runs.placements().hostsInUse(id);
        owned.keySet().stream()
                .filter(h -> !busy.contains(h))
                .sorted()
                .findFirst()
                .ifPresent(h -> {
                    owned.remove(h);
                    store.release(h, id);
                    LOG.info("node {} gave host {} up for a less busy node", id, h);
                });
    }

    private static String machine() {
        String name = System.getenv("HOSTNAME");
        if (name == null || name.isBlank()) {
            try {
                name = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                name = "unknown";
            }
        }
        return name;
    }

    /** A clean leave: the node's hosts are free for the others at once. */
    @Override
    public void close() {
        beats.shutdownNow();
        try {
            beats.awaitTermination(5, TimeUnit.SECONDS);
            store.stopped(id, clock.instant());
            owned.clear();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warn("node {}: cannot record its stop ({}); its leases lapse on their own", id, e.toString());
        }
    }
}
