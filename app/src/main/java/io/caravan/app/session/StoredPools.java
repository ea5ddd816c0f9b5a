package io.caravan.app.session;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.caravan.core.engine.PoolDirectory;
import io.caravan.core.jobs.HostPool;
import io.caravan.core.storage.PoolStore;

/** Pools added with {@code caravan pool add-ssh}, read when a task targets one (so a pool changed meanwhile counts). */
final class StoredPools implements PoolDirectory {
    private final PoolStore store;

    StoredPools(PoolStore store) {
        this.store = store;
    }

    @Override
    public Optional<HostPool> find(String name) {
        List<PoolStore.PoolHost> hosts = store.pools().get(name);
        if (hosts == null || hosts.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new HostPool(
                name,
                hosts.stream()
                        .map(h -> new HostPool.Member(h.connection().toTarget(), h.slots(), h.capacity()))
                        .toList()));
    }

    Set<String> names() {
        return store.pools().keySet();
    }
}
