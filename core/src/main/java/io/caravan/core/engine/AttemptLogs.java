package io.caravan.core.engine;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where an attempt's log lives: one file per item and attempt under the engine's log directory. */
public final class AttemptLogs {
    private AttemptLogs() {}

    /** The log directory of an engine whose home is {@code home}. */
    public static Path directory(Path home) {
        return home.resolve("logs");
    }

    public static Path of(Path logs, String runId, String taskId, int itemIndex, int attempt) {
        return logs.resolve(runId).resolve(taskId).resolve(itemIndex + "." + attempt + ".log");
    }

    /**
     * The one rule to find an item's log: the file of its current attempt under {@code logs}, which an engine
     * of this home writes while the attempt runs; else the path recorded when the attempt ended (an engine
     * with another log directory wrote it there). When neither exists: where it is expected, the recorded path
     * if there is one, so the caller can say where it looked.
     *
     * @param recorded the path stored with the item, or null while its attempt runs
     */
    public static Path find(Path logs, String runId, String taskId, int itemIndex, int attempt, String recorded) {
        Path own = of(logs, runId, taskId, itemIndex, attempt);
        if (Files.exists(own) || recorded == null) {
            return own;
        }
        return Path.of(recorded);
    }
}
