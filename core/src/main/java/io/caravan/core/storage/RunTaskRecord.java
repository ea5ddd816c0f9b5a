package io.caravan.core.storage;

import java.time.Instant;

import io.caravan.core.runs.TaskState;
import jakarta.persistence.Column;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/** One task of one run, the row; callers read a {@link RunTask}. */
@Entity
@Table(name = "run_tasks")
class RunTaskRecord {
    @EmbeddedId
    private RunTaskKey key;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private TaskState state;

    @Column(name = "item_count")
    private Integer itemCount;

    @Column(name = "output_json")
    private String outputJson;

    @Column(name = "updated_at", nullable = false)
    private Instant updatedAt;

    @Version
    private long version;

    protected RunTaskRecord() {}

    RunTaskRecord(String runId, String taskId, Instant at) {
        this.key = new RunTaskKey(runId, taskId);
        this.state = TaskState.PENDING;
        this.updatedAt = at;
    }

    RunTask view() {
        return new RunTask(key.runId(), key.taskId(), state, itemCount, outputJson);
    }

    TaskState state() {
        return state;
    }

    Integer itemCount() {
        return itemCount;
    }

    void madeReady(int items, Instant at) {
        state = TaskState.RUNNING;
        itemCount = items;
        updatedAt = at;
    }

    /** Back to work after an item was retried by hand: running if it has items, else waiting for its upstream again. */
    void reopen(Instant at) {
        state = itemCount == null ? TaskState.PENDING : TaskState.RUNNING;
        outputJson = null;
        updatedAt = at;
    }

    /** Cleared by hand: waits for its upstream and is made ready afresh, its items worked out again from their outputs. */
    void clear(Instant at) {
        state = TaskState.PENDING;
        itemCount = null;
        outputJson = null;
        updatedAt = at;
    }

    void finish(TaskState end, String output, Instant at) {
        state = end;
        outputJson = output;
        updatedAt = at;
    }
}
