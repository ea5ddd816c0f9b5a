package io.caravan.core.storage;

import java.io.Serializable;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/** (pool, connection): the key of a {@link PoolHostRecord}. */
@Embeddable
class PoolHostKey implements Serializable {
    @Column(name = "pool_name")
    private String pool;

    @Column(name = "connection_name")
    private String connection;

    protected PoolHostKey() {}

    PoolHostKey(String pool, String connection) {
        this.pool = pool;
        this.connection = connection;
    }

    String pool() {
        return pool;
    }

    String connection() {
        return connection;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PoolHostKey k && k.pool.equals(pool) && k.connection.equals(connection);
    }

    @Override
    public int hashCode() {
        return Objects.hash(pool, connection);
    }
}
