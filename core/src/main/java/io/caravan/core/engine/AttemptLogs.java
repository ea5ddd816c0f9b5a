package io.caravan.core.engine;

import java.nio.file.Path;

/** Where an attempt's log lives: one file per item and attempt under the engine's log directory. */
public final class AttemptLogs {
    private AttemptLogs() {
    }

    public static Path of(Path logs, String runId, String taskId, int itemIndex, int attempt) {
        return logs.resolve(runId).resolve(taskId).resolve(itemIndex + "." + attempt + ".log");
    }
}
