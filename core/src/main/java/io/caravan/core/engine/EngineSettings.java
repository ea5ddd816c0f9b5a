package io.caravan.core.engine;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

/**
 * @param owner    this engine's name on the leases it takes
 * @param lease    how long a claim holds without renewal; another engine may take it over after that
 * @param tick     longest pause of a run's loop when nothing has finished
 * @param workers  task attempts running at once in this process
 * @param logs     where attempt logs are written
 */
public record EngineSettings(String owner, Duration lease, Duration tick, int workers, Path logs) {

    public static EngineSettings defaults(Path home) {
        return new EngineSettings(
                ManagementFactory.getRuntimeMXBean().getName() + "/"
                        + UUID.randomUUID().toString().substring(0, 8),
                Duration.ofMinutes(2),
                Duration.ofMillis(200),
                256,
                AttemptLogs.directory(home));
    }
}
