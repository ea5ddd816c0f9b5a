package io.caravan.core.storage;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.caravan.core.ssh.HostAndPort;
import io.caravan.core.workflow.HostCapacity;

/** Host pools and their hosts' connections. */
public final class PoolStore {
    private final Database db;

    public PoolStore(Database db) {
        this.db = db;
    }

    /** One host of a pool with the connection that reaches it and what it offers its jobs. */
    public record PoolHost(String pool, StoredConnection connection, int slots, HostCapacity capacity) {}

    public void addHost(String pool, StoredConnection connection, int slots, Instant now) {
        addHost(pool, connection, slots, HostCapacity.NONE, now);
    }

    /**
     * Adds a host to a pool, creating the pool on first use.
     *
     * @throws IllegalArgumentException when the pool already has this host
     */
    public void addHost(String pool, StoredConnection connection, int slots, HostCapacity capacity, Instant now) {
        db.inTransaction(em -> {
            if (em.find(HostPoolRecord.class, pool) == null) {
                em.persist(new HostPoolRecord(pool, now));
            }
            if (em.find(PoolHostRecord.class, new PoolHostKey(pool, connection.name())) != null) {
                throw new IllegalArgumentException("pool '" + pool + "' already has " + connection.user() + "@"
                        + HostAndPort.format(connection.host(), connection.port()));
            }
            if (em.find(ConnectionRecord.class, connection.name()) == null) {
                em.persist(new ConnectionRecord(connection, now));
            }
            em.persist(new PoolHostRecord(pool, connection.name(), slots, capacity));
            return null;
        });
    }

    /** Every pool's hosts, pools by name. */
    public Map<String, List<PoolHost>> pools() {
        return db.inTransaction(em -> {
            Map<String, List<PoolHost>> pools = new LinkedHashMap<>();
            em.createQuery("select p from HostPoolRecord p order by p.name", HostPoolRecord.class)
                    .getResultList()
                    .forEach(p -> pools.put(p.name(), new ArrayList<>()));
            em.createQuery("select h from PoolHostRecord h order by h.key.pool, h.key.connection", PoolHostRecord.class)
                    .getResultList()
                    .forEach(h -> pools.get(h.pool())
                            .add(new PoolHost(
                                    h.pool(),
                                    em.find(ConnectionRecord.class, h.connection())
                                            .view(),
                                    h.slots(),
                                    h.capacity())));
            return pools;
        });
    }

    /** Removes a pool and the connections only it used; false when there is no such pool. */
    public boolean remove(String pool) {
        return db.inTransaction(em -> {
            HostPoolRecord record = em.find(HostPoolRecord.class, pool);
            if (record == null) {
                return false;
            }
            List<PoolHostRecord> hosts = em.createQuery(
                            "select h from PoolHostRecord h where h.key.pool = :pool", PoolHostRecord.class)
                    .setParameter("pool", pool)
                    .getResultList();
            hosts.forEach(em::remove);
            em.flush();
            for (PoolHostRecord h : hosts) {
                long users = em.createQuery(
                                "select count(h) from PoolHostRecord h where h.key.connection = :c", Long.class)
                        .setParameter("c", h.connection())
                        .getSingleResult();
                if (users == 0) {
                    em.remove(em.find(ConnectionRecord.class, h.connection()));
                }
            }
            em.remove(record);
            return true;
        });
    }
}
