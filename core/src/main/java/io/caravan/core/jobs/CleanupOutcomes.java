package io.caravan.core.jobs;

import java.util.List;

import io.caravan.spi.CleanupResult;

/**
 * Where the outcome of removing job directories goes. Directories that could not be removed are retried with
 * back-off and kept as a debt in the database when retries run out, never dropped; directories removed settle
 * whatever was written down for them.
 */
@FunctionalInterface
public interface CleanupOutcomes {
    void failed(List<CleanupResult> notRemoved);

    /** The directories of these jobs are gone. */
    default void removed(List<String> jobIds) {}
}
