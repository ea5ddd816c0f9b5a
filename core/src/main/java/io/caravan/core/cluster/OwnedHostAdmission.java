package io.caravan.core.cluster;

import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import io.caravan.core.engine.HostAdmission;
import io.caravan.core.jobs.HostPool;
import io.caravan.core.jobs.PoolReservations;
import io.caravan.core.ssh.SshTarget;

/** A cluster node starts attempts only on hosts it owns, and for pools only as many as their free slots. */
public final class OwnedHostAdmission implements HostAdmission {
    private final HostOwnership ownership;
    private final PoolReservations reservations;

    public OwnedHostAdmission(HostOwnership ownership, PoolReservations reservations) {
        this.ownership = ownership;
        this.reservations = reservations;
    }

    @Override
    public boolean admits(SshTarget target) {
        return ownership.mayUse(target.hostAndPort());
    }

    @Override
    public Map<String, Integer> freeSlots(HostPool pool) {
        // asked outside the board's lock: taking a host may wait on the database
        Set<String> mine = pool.members().stream()
                .map(m -> m.target().hostAndPort())
                .filter(ownership::mayUse)
                .collect(Collectors.toSet());
        return reservations.freeSlots(pool, t -> mine.contains(t.hostAndPort()));
    }
}
