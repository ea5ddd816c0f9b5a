package io.caravan.core.storage;

import java.util.List;
import java.util.Map;

import io.caravan.core.runs.TaskState;

/** Placements: which host each attempt's job went to, the busy slots of every engine, and the hosts one engine uses. */
public final class PlacementStore {
    private final Database db;

    PlacementStore(Database db) {
        this.db = db;
    }

    /** Where one instance's current attempt runs. */
    public record Placement(String runId, String taskId, int itemIndex, String host) {
    }

    /** The host an instance's current attempt runs on: its slot there, and where to adopt its job. */
    public void placedOn(String runId, String taskId, int itemIndex, String host) {
        placedOn(List.of(new Placement(runId, taskId, itemIndex, host)));
    }

    /** Many placements in one transaction; for each, whether its instance was there to record it on. */
    public List<Boolean> placedOn(List<Placement> placements) {
        return db.inTransaction(em -> {
            var update = em.createQuery("update TaskInstanceRecord i set i.host = :host where i.runId = :run"
                    + " and i.taskId = :task and i.itemIndex = :item");
            return placements.stream().map(p -> update.setParameter("host", p.host()).setParameter("run", p.runId())
                    .setParameter("task", p.taskId()).setParameter("item", p.itemIndex()).executeUpdate() > 0).toList();
        });
    }

    /** Hosts on which an engine has attempts running now. */
    public java.util.Set<String> hostsInUse(String owner) {
        return db.inTransaction(em -> new java.util.HashSet<>(em.createQuery("select distinct i.host from TaskInstanceRecord i"
                        + " where i.state = :running and i.leaseOwner = :owner and i.host is not null", String.class)
                .setParameter("running", TaskState.RUNNING).setParameter("owner", owner).getResultList()));
    }

    /** Running instances per pool host: the busy slots of every engine on this database. */
    public Map<String, Long> busyHosts() {
        return db.inTransaction(em -> {
            Map<String, Long> busy = new java.util.TreeMap<>();
            em.createQuery("select i.host, count(i) from TaskInstanceRecord i where i.state = :running"
                            + " and i.host is not null group by i.host", Object[].class)
                    .setParameter("running", TaskState.RUNNING).getResultList()
                    .forEach(r -> busy.put((String) r[0], (Long) r[1]));
            return busy;
        });
    }
}
