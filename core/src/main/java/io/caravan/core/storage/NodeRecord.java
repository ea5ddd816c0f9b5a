package io.caravan.core.storage;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An engine process sharing the database: alive while its heartbeat is fresh. */
@Entity
@Table(name = "nodes")
public class NodeRecord {
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

    protected NodeRecord() {
    }

    NodeRecord(String id, String machine, long pid, Instant now) {
        this.id = id;
        this.machine = machine;
        this.pid = pid;
        this.startedAt = now;
        this.heartbeatAt = now;
    }

    public String id() {
        return id;
    }

    public String machine() {
        return machine;
    }

    public long pid() {
        return pid;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant heartbeatAt() {
        return heartbeatAt;
    }

    public Instant stoppedAt() {
        return stoppedAt;
    }

    /** Alive: not stopped, and beat within {@code ttl} of {@code now}. */
    public boolean liveAt(Instant now, java.time.Duration ttl) {
        return stoppedAt == null && heartbeatAt.plus(ttl).isAfter(now);
    }

    void beat(Instant now) {
        heartbeatAt = now;
    }

    void stopped(Instant now) {
        stoppedAt = now;
    }
}
