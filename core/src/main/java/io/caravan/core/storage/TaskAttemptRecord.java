package io.caravan.core.storage;

import java.time.Instant;

import io.caravan.core.runs.TaskState;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** How one attempt of an instance ended, the row; callers read an {@link Attempt}. */
@Entity
@Table(name = "task_attempts")
class TaskAttemptRecord {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "instance_id", nullable = false)
    private long instanceId;

    @Column(nullable = false)
    private int attempt;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private TaskState state;

    @Column(name = "started_at")
    private Instant startedAt;

    @Column(name = "ended_at", nullable = false)
    private Instant endedAt;

    @Column
    private String error;

    protected TaskAttemptRecord() {}

    TaskAttemptRecord(long instanceId, int attempt, TaskState state, Instant startedAt, Instant endedAt, String error) {
        this.instanceId = instanceId;
        this.attempt = attempt;
        this.state = state;
        this.startedAt = startedAt;
        this.endedAt = endedAt;
        this.error = error;
    }

    Attempt view() {
        return new Attempt(attempt, state, startedAt, endedAt, error);
    }
}
