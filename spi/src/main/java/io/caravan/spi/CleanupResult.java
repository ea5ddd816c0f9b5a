package io.caravan.spi;

/** Whether a job's directory was removed; {@code reason} says why not. */
public record CleanupResult(String id, boolean removed, String reason) {}
