package io.caravan.core.storage;

import java.time.Instant;

import io.caravan.core.runs.RunState;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** A run of a workflow, the row; callers read a {@link Run}. Soft-deleted: history stays. */
@Entity
@Table(name = "runs")
class RunRecord {
    @Id
    private String id;

    @Column(name = "workflow_id", nullable = false)
    private String workflowId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private RunState state;

    @Column(name = "trigger_kind", nullable = false)
    private String trigger;

    @Column(name = "params_json", nullable = false)
    private String paramsJson;

    @Column(name = "source_path")
    private String sourcePath;

    @Column(name = "source_yaml", nullable = false)
    private String sourceYaml;

    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    @Column(name = "started_at")
    private Instant startedAt;

    @Column(name = "ended_at")
    private Instant endedAt;

    @Column(name = "deleted_at")
    private Instant deletedAt;

    @Column(name = "scheduled_for")
    private Instant scheduledFor;

    @Column(name = "reason")
    private String reason;

    @Version
    private long version;

    protected RunRecord() {}

    RunRecord(
            String id,
            String workflowId,
            String trigger,
            String paramsJson,
            String sourcePath,
            String sourceYaml,
            Instant createdAt) {
        this.id = id;
        this.workflowId = workflowId;
        this.state = RunState.QUEUED;
        this.trigger = trigger;
        this.paramsJson = paramsJson;
        this.sourcePath = sourcePath;
        this.sourceYaml = sourceYaml;
        this.createdAt = createdAt;
    }

    void scheduledFor(Instant slot) {
        scheduledFor = slot;
    }

    /** What callers outside the storage layer see of it. */
    Run view() {
        return new Run(
                id,
                workflowId,
                state,
                trigger,
                paramsJson,
                sourcePath,
                sourceYaml,
                createdAt,
                startedAt,
                endedAt,
                deletedAt,
                scheduledFor,
                reason);
    }

    String id() {
        return id;
    }

    RunState state() {
        return state;
    }

    void reason(String why) {
        reason = why;
    }

    /** Several engines may drive one run: the first start and the first end count, an ended run stays ended. */
    void start(Instant at) {
        if (state.finished()) {
            return;
        }
        state = RunState.RUNNING;
        if (startedAt == null) {
            startedAt = at;
        }
    }

    /** Whether this call ended the run (false when it had ended already). */
    boolean finish(RunState end, Instant at) {
        if (state.finished()) {
            return false;
        }
        state = end;
        endedAt = at;
        return true;
    }

    /** A retried item puts an ended run back to work; its first start stays. */
    void reopen() {
        state = RunState.RUNNING;
        endedAt = null;
        reason = null;
    }

    void delete(Instant at) {
        deletedAt = at;
    }
}
