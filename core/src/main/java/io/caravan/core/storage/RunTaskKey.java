package io.caravan.core.storage;

import java.io.Serializable;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;

/** (run, task): the key of a {@link RunTaskRecord}. */
@Embeddable
class RunTaskKey implements Serializable {
    @Column(name = "run_id")
    private String runId;

    @Column(name = "task_id")
    private String taskId;

    protected RunTaskKey() {}

    RunTaskKey(String runId, String taskId) {
        this.runId = runId;
        this.taskId = taskId;
    }

    String runId() {
        return runId;
    }

    String taskId() {
        return taskId;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RunTaskKey k && k.runId.equals(runId) && k.taskId.equals(taskId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(runId, taskId);
    }
}
