package io.caravan.core.storage;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import io.caravan.core.runs.TaskState;

/**
 * Placements: which host each attempt's job went to and what it holds there (GPU indices, cores, memory), the
 * busy slots of every engine, and the hosts one engine uses.
 */
public final class PlacementStore {
    private final Database db;

    PlacementStore(Database db) {
        this.db = db;
    }

    /**
     * Where one instance's current attempt runs.
     *
     * @param gpus GPU indices its job holds there; with {@code cpus} and {@code memBytes} null when it asked for nothing
     */
    public record Placement(
            String runId, String taskId, int itemIndex, String host, List<Integer> gpus, Integer cpus, Long memBytes) {
        public Placement(String runId, String taskId, int itemIndex, String host) {
            this(runId, taskId, itemIndex, host, null, null, null);
        }
    }

    /** What an attempt's job holds on its host, as stored with its placement. */
    public record Held(
            String runId,
            String taskId,
            int itemIndex,
            int attempt,
            String host,
            List<Integer> gpus,
            int cpus,
            long memBytes) {}

    /** The host an instance's current attempt runs on: its slot there, and where to adopt its job. */
    public void placedOn(String runId, String taskId, int itemIndex, String host) {
        placedOn(List.of(new Placement(runId, taskId, itemIndex, host)));
    }

    /** Many placements in one transaction; for each, whether its instance was there to record it on. */
    public List<Boolean> placedOn(List<Placement> placements) {
        return db.inTransaction(em -> {
            var update = em.createQuery("update TaskInstanceRecord i set i.host = :host, i.gpuIndices = :gpus,"
                    + " i.cpusReserved = :cpus, i.memReserved = :mem where i.runId = :run"
                    + " and i.taskId = :task and i.itemIndex = :item");
            return placements.stream()
                    .map(p -> update.setParameter("host", p.host())
                                    .setParameter(
                                            "gpus",
                                            p.gpus() == null
                                                    ? null
                                                    : String.join(
                                                            ",",
                                                            p.gpus().stream()
                                                                    .map(String::valueOf)
                                                                    .toList()))
                                    .setParameter("cpus", p.cpus())
                                    .setParameter("mem", p.memBytes())
                                    .setParameter("run", p.runId())
                                    .setParameter("task", p.taskId())
                                    .setParameter("item", p.itemIndex())
                                    .executeUpdate()
                            > 0)
                    .toList();
        });
    }

    /**
     * What jobs hold on a host now: those running, and those taken back from an engine that stopped or died (READY
     * with their host kept), which the next engine adopts there with the same GPUs.
     */
    public List<Held> heldOn(String host) {
        return held(
                "i.host = :host and i.state in :states",
                Map.of("host", host, "states", List.of(TaskState.RUNNING, TaskState.READY)));
    }

    /** What running jobs hold on one host: GPU index → job ({@code run/task[item]}), cores and memory reserved. */
    public record HostUsage(Map<Integer, String> gpus, int cpus, long memBytes) {
        public static final HostUsage NONE = new HostUsage(Map.of(), 0, 0);
    }

    /** What running jobs hold on each host ({@code host:port}): for {@code pool ps} and the web UI's hosts page. */
    public Map<String, HostUsage> usageByHost() {
        Map<String, HostUsage> usage = new TreeMap<>();
        for (Held h : held("i.host is not null and i.state = :running", Map.of("running", TaskState.RUNNING))) {
            HostUsage was = usage.getOrDefault(h.host(), HostUsage.NONE);
            Map<Integer, String> gpus = new TreeMap<>(was.gpus());
            h.gpus().forEach(g -> gpus.put(g, h.runId() + "/" + h.taskId() + "[" + h.itemIndex() + "]"));
            usage.put(h.host(), new HostUsage(gpus, was.cpus() + h.cpus(), was.memBytes() + h.memBytes()));
        }
        return usage;
    }

    private List<Held> held(String where, Map<String, Object> parameters) {
        return db.inTransaction(em -> {
            var query = em.createQuery(
                    "select i.runId, i.taskId, i.itemIndex, i.attempt, i.host, i.gpuIndices, i.cpusReserved,"
                            + " i.memReserved from TaskInstanceRecord i where i.cpusReserved is not null and " + where
                            + " order by i.host, i.runId, i.taskId, i.itemIndex",
                    Object[].class);
            parameters.forEach(query::setParameter);
            return query.getResultList().stream()
                    .map(r -> new Held(
                            (String) r[0],
                            (String) r[1],
                            (Integer) r[2],
                            (Integer) r[3],
                            (String) r[4],
                            indices((String) r[5]),
                            (Integer) r[6],
                            r[7] == null ? 0 : (Long) r[7]))
                    .toList();
        });
    }

    private static List<Integer> indices(String text) {
        return text == null || text.isBlank()
                ? List.of()
                : Arrays.stream(text.split(",")).map(Integer::valueOf).toList();
    }

    /** Hosts on which an engine has attempts running now. */
    public Set<String> hostsInUse(String owner) {
        return db.inTransaction(em -> new HashSet<>(em.createQuery(
                        "select distinct i.host from TaskInstanceRecord i"
                                + " where i.state = :running and i.leaseOwner = :owner and i.host is not null",
                        String.class)
                .setParameter("running", TaskState.RUNNING)
                .setParameter("owner", owner)
                .getResultList()));
    }

    /** Running instances per pool host: the busy slots of every engine on this database. */
    public Map<String, Long> busyHosts() {
        return db.inTransaction(em -> {
            Map<String, Long> busy = new TreeMap<>();
            em.createQuery(
                            "select i.host, count(i) from TaskInstanceRecord i where i.state = :running"
                                    + " and i.host is not null group by i.host",
                            Object[].class)
                    .setParameter("running", TaskState.RUNNING)
                    .getResultList()
                    .forEach(r -> busy.put((String) r[0], (Long) r[1]));
            return busy;
        });
    }
}
