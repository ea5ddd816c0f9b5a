package io.caravan.core.storage;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

/** Nodes' heartbeats and hosts' ownership leases: what lets several engine processes share one database. */
public final class ClusterStore {
    private final Database db;

    public ClusterStore(Database db) {
        this.db = db;
    }

    /** Records that the node is alive now, registering it on its first beat. */
    public void beat(String nodeId, String machine, long pid, Instant now) {
        db.inTransaction(em -> {
            NodeRecord node = em.find(NodeRecord.class, nodeId);
            if (node == null) {
                em.persist(new NodeRecord(nodeId, machine, pid, now));
            } else {
                node.beat(now);
            }
            return null;
        });
    }

    /** A clean stop: the node is gone at once and its hosts are free for the others. */
    public void stopped(String nodeId, Instant now) {
        db.inTransaction(em -> {
            NodeRecord node = em.find(NodeRecord.class, nodeId);
            if (node != null) {
                node.stopped(now);
            }
            em.createQuery("delete from HostLeaseRecord l where l.nodeId = :node")
                    .setParameter("node", nodeId)
                    .executeUpdate();
            return null;
        });
    }

    public List<Node> nodes() {
        return db.inTransaction(
                em -> em
                        .createQuery("select n from NodeRecord n order by n.startedAt, n.id", NodeRecord.class)
                        .getResultList()
                        .stream()
                        .map(NodeRecord::view)
                        .toList());
    }

    public List<HostLease> leases() {
        return db.inTransaction(
                em -> em
                        .createQuery("select l from HostLeaseRecord l order by l.host", HostLeaseRecord.class)
                        .getResultList()
                        .stream()
                        .map(HostLeaseRecord::view)
                        .toList());
    }

    /**
     * Takes the host for the node when nobody holds it (or the holder's lease ran out) and the node owns no
     * more hosts than any other live node: new hosts spread evenly. True also when the node holds it already.
     */
    public boolean acquire(String host, String nodeId, Collection<String> liveNodes, Instant now, Instant expires) {
        return db.inTransaction(em -> {
            em.createNativeQuery("SELECT id FROM host_lease_lock WHERE id = 1 FOR UPDATE")
                    .getResultList();
            HostLeaseRecord lease = em.find(HostLeaseRecord.class, host, LockModeType.PESSIMISTIC_WRITE);
            if (lease != null
                    && (lease.nodeId().equals(nodeId) || lease.expiresAt().isAfter(now))) {
                return lease.nodeId().equals(nodeId);
            }
            Map<String, Long> owned = hostsPerNode(em, liveNodes, now);
            long mine = owned.getOrDefault(nodeId, 0L);
            if (owned.values().stream().anyMatch(other -> other < mine)) {
                return false;
            }
            if (lease == null) {
                em.persist(new HostLeaseRecord(host, nodeId, now, expires));
                em.flush();
            } else {
                lease.takenBy(nodeId, now, expires);
            }
            return true;
        });
    }

    /** Extends the node's leases; returns the hosts it still holds (a host missing from it was lost). */
    public List<String> renew(String nodeId, Instant expires) {
        return db.inTransaction(em -> {
            em.createQuery("update HostLeaseRecord l set l.expiresAt = :expires where l.nodeId = :node")
                    .setParameter("expires", expires)
                    .setParameter("node", nodeId)
                    .executeUpdate();
            return em.createQuery("select l.host from HostLeaseRecord l where l.nodeId = :node", String.class)
                    .setParameter("node", nodeId)
                    .getResultList();
        });
    }

    /** Gives a host up, so that a less busy node can take it. */
    public void release(String host, String nodeId) {
        db.inTransaction(em -> em.createQuery("delete from HostLeaseRecord l where l.host = :host and l.nodeId = :node")
                .setParameter("host", host)
                .setParameter("node", nodeId)
                .executeUpdate());
    }

    /** Live nodes and how many hosts each holds. */
    public Map<String, Long> hostsPerNode(Collection<String> liveNodes, Instant now) {
        return db.inTransaction(em -> hostsPerNode(em, liveNodes, now));
    }

    private static Map<String, Long> hostsPerNode(EntityManager em, Collection<String> liveNodes, Instant now) {
        Map<String, Long> owned = new HashMap<>();
        liveNodes.forEach(n -> owned.put(n, 0L));
        em.createQuery(
                        "select l.nodeId, count(l) from HostLeaseRecord l where l.expiresAt > :now group by l.nodeId",
                        Object[].class)
                .setParameter("now", now)
                .getResultList()
                .forEach(r -> owned.computeIfPresent((String) r[0], (k, v) -> (Long) r[1]));
        return owned;
    }
}
