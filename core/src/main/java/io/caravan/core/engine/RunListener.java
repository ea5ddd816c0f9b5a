package io.caravan.core.engine;

import io.caravan.core.runs.RunState;
import io.caravan.core.runs.TaskState;

/** Progress of a run as it happens, for a live display. Called from engine threads; keep it quick. */
public interface RunListener {
    RunListener NONE = new RunListener() {};

    /** The task's upstream has ended: its instances, one per item, are READY to be claimed. */
    default void taskReady(String taskId, int items) {}

    default void taskEnded(String taskId, TaskState state) {}

    default void attemptStarted(String taskId, int itemIndex) {}

    default void attemptEnded(String taskId, int itemIndex, TaskState state, String error) {}

    default void runEnded(RunState state) {}
}
