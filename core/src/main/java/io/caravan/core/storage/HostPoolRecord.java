package io.caravan.core.storage;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A named set of hosts that tasks can target instead of one host. */
@Entity
@Table(name = "host_pools")
class HostPoolRecord {
    @Id
    private String name;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected HostPoolRecord() {}

    HostPoolRecord(String name, Instant createdAt) {
        this.name = name;
        this.createdAt = createdAt;
    }

    String name() {
        return name;
    }
}
