package io.caravan.core.storage;

import java.time.Instant;

import io.caravan.core.runs.RunState;

/**
 * A run of a workflow as the store last saw it: what the engine, the web UI and the CLI read of a run. A copy, not
 * a live row: changes go through {@link RunStore} and {@link RunControl}.
 *
 * @param scheduledFor the cron slot a schedule fired this run for; null for a run started otherwise
 * @param deletedAt    when the run was deleted (soft: its history stays); null while it is listed
 * @param reason       why the run ended as it did when its tasks do not say (a timeout, a skipped firing); null otherwise
 */
public record Run(
        String id,
        String workflowId,
        RunState state,
        String trigger,
        String paramsJson,
        String sourcePath,
        String sourceYaml,
        Instant createdAt,
        Instant startedAt,
        Instant endedAt,
        Instant deletedAt,
        Instant scheduledFor,
        String reason) {}
