package io.caravan.core.jobs;

import java.util.List;

import io.caravan.spi.CleanupResult;

/**
 * Where job directories that could not be removed go: retried with back-off, and kept as a debt in the
 * database when retries run out. Never dropped.
 */
@FunctionalInterface
public interface CleanupFailures {
    void failed(List<CleanupResult> notRemoved);
}
