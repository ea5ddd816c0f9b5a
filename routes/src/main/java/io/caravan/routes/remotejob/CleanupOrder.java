package io.caravan.routes.remotejob;

import java.util.List;

import io.caravan.core.jobs.JobPlace;
import io.caravan.spi.JobBackend;

/** Job directories of one place still to be removed, and the backend that removes them; what the cleanup route carries. */
public record CleanupOrder(JobPlace place, JobBackend backend, List<String> jobIds) {}
