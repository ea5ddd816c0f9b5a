package io.caravan.core.engine;

import java.util.Optional;

import io.caravan.core.jobs.HostPool;

/** Pools defined outside workflows ({@code caravan pool add-ssh}), looked up by name when a task targets one. */
@FunctionalInterface
public interface PoolDirectory {
    PoolDirectory NONE = name -> Optional.empty();

    Optional<HostPool> find(String name);
}
