package io.caravan.core.storage;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An engine process sharing the database, the row; callers read a {@link Node}. */
@Entity
@Table(name = "nodes")
class NodeRecord {
    @Id
    private String id;

    @Column(nullable = false)
    private String machine;

    @Column(nullable = false)
    private long pid;

    @Column(name = "started_at", nullable = false)
    private Instant startedAt;

    @Column(name = "heartbeat_at", nullable = false)
    private Instant heartbeatAt;

    @Column(name = "stopped_at")
    private Instant stoppedAt;

    protected NodeRecord() {}

    NodeRecord(String id, String machine, long pid, Instant now) {
        this.id = id;
        this.machine = machine;
        this.pid = pid;
        this.startedAt = now;
        this.heartbeatAt = now;
    }

    Node view() {
        return new Node(id, machine, pid, startedAt, heartbeatAt, stoppedAt);
    }

    void beat(Instant now) {
        heartbeatAt = now;
    }

    void stopped(Instant now) {
        stoppedAt = now;
    }
}
