package io.caravan.core.storage;

import java.time.Instant;

import io.caravan.core.runs.TaskState;

/** How one attempt of an instance ended; kept when the instance is retried. */
public record Attempt(int attempt, TaskState state, Instant startedAt, Instant endedAt, String error) {}
