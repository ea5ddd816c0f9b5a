package io.caravan.core.storage;

import java.time.Instant;

import io.caravan.core.runs.TaskState;

/**
 * One instance of a task (one item of a fan-out, or the only one) as the store last saw it.
 *
 * @param leaseOwner    the engine working on it while RUNNING, else null
 * @param leaseToken    the token that engine's completion must present, else null
 * @param host          where its current attempt's job runs, once placed; else null
 * @param interruptions how often the current attempt was cut short by its engine; its job and host are kept meanwhile
 * @param leftOnHost    its attempt failed because its host was given up on, its job left there: a resume adopts it
 */
public record TaskInstance(
        long id,
        String runId,
        String taskId,
        int itemIndex,
        String itemJson,
        TaskState state,
        int attempt,
        int maxAttempts,
        Instant nextAttemptAt,
        String leaseOwner,
        String leaseToken,
        Instant startedAt,
        Instant endedAt,
        String outputJson,
        String error,
        String logPath,
        String host,
        int interruptions,
        boolean leftOnHost) {}
