package io.caravan.spi;

/** Bytes of a job's log from {@code offset}; the caller asks again from {@code offset + bytes.length}. */
public record LogChunk(String id, long offset, byte[] bytes) {}
