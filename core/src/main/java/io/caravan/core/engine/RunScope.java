package io.caravan.core.engine;

import java.time.Instant;

import io.caravan.core.storage.Run;
import io.caravan.core.workflow.WorkflowDefinition;

/** One run as its driver sees it: the run, its workflow, and who follows its progress. */
record RunScope(Run run, WorkflowDefinition workflow, RunListener listener) {

    String id() {
        return run.id();
    }

    /** A schedule's or a backfill's run is for its slot: {@code {{ run.date }}} is that logical date, not the day it ran. */
    Instant logicalDate() {
        return run.scheduledFor() != null ? run.scheduledFor() : run.createdAt();
    }

    /** Where sla counts from: the cron slot a schedule fired the run for, else the run's (first) start, else now. */
    Instant slaStart(Instant now) {
        return run.scheduledFor() != null ? run.scheduledFor() : run.startedAt() != null ? run.startedAt() : now;
    }
}
