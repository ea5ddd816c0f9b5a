package io.caravan.core.engine;

import java.util.Collection;

import io.caravan.core.runs.TaskState;
import io.caravan.core.workflow.TriggerRule;

/** Whether a task runs once all its upstream tasks have ended (Airflow's semantics). */
final class TriggerRules {
    private TriggerRules() {}

    /** RUN, or the state the task ends in without running. */
    static TaskState decide(TriggerRule rule, Collection<TaskState> upstream) {
        long succeeded = upstream.stream().filter(s -> s == TaskState.SUCCEEDED).count();
        long failed = upstream.stream().filter(TaskState::failed).count();
        int all = upstream.size();
        return switch (rule) {
            case ALL_SUCCESS ->
                succeeded == all ? TaskState.RUNNING : failed > 0 ? TaskState.UPSTREAM_FAILED : TaskState.SKIPPED;
            case ALL_DONE -> TaskState.RUNNING;
            case ALL_FAILED -> failed == all && all > 0 ? TaskState.RUNNING : TaskState.SKIPPED;
            case ONE_SUCCESS -> succeeded > 0 || all == 0 ? TaskState.RUNNING : TaskState.UPSTREAM_FAILED;
            case ONE_FAILED -> failed > 0 ? TaskState.RUNNING : TaskState.SKIPPED;
            case NONE_FAILED -> failed == 0 ? TaskState.RUNNING : TaskState.UPSTREAM_FAILED;
        };
    }
}
