package io.caravan.routes.remotejob;

import java.util.List;

import io.caravan.core.jobs.JobPlace;

/** Job directories of one place still to be removed; what the cleanup route carries. */
public record CleanupOrder(JobPlace place, List<String> jobIds) {
}
