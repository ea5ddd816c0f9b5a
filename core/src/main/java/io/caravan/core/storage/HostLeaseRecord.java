package io.caravan.core.storage;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** Which node owns an SSH host until when, the row; callers read a {@link HostLease}. */
@Entity
@Table(name = "host_leases")
class HostLeaseRecord {
    @Id
    private String host;

    @Column(name = "node_id", nullable = false)
    private String nodeId;

    @Column(name = "acquired_at", nullable = false)
    private Instant acquiredAt;

    @Column(name = "expires_at", nullable = false)
    private Instant expiresAt;

    protected HostLeaseRecord() {}

    HostLeaseRecord(String host, String nodeId, Instant now, Instant expires) {
        this.host = host;
        this.nodeId = nodeId;
        this.acquiredAt = now;
        this.expiresAt = expires;
    }

    HostLease view() {
        return new HostLease(host, nodeId, acquiredAt, expiresAt);
    }

    String nodeId() {
        return nodeId;
    }

    Instant expiresAt() {
        return expiresAt;
    }

    void takenBy(String node, Instant now, Instant expires) {
        nodeId = node;
        acquiredAt = now;
        expiresAt = expires;
    }
}
