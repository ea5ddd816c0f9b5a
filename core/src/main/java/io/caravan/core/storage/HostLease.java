package io.caravan.core.storage;

import java.time.Instant;

/** Which node owns an SSH host ({@code host:port}) until when. */
public record HostLease(String host, String nodeId, Instant acquiredAt, Instant expiresAt) {}
