package io.caravan.core.storage;

import jakarta.persistence.Column;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/** A host of a pool and how many jobs it takes at once. */
@Entity
@Table(name = "pool_hosts")
class PoolHostRecord {
    @EmbeddedId
    private PoolHostKey key;
    @Column(nullable = false)
    private int slots;

    protected PoolHostRecord() {
    }

    PoolHostRecord(String pool, String connection, int slots) {
        this.key = new PoolHostKey(pool, connection);
        this.slots = slots;
    }

    String pool() {
        return key.pool();
    }

    String connection() {
        return key.connection();
    }

    int slots() {
        return slots;
    }
}
