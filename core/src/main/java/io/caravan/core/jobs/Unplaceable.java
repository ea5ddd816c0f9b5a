package io.caravan.core.jobs;

/**
 * A job asks for more than any host of its pool has, all of it free: it would wait forever, so its task fails
 * at once (not retried: a retry asks the same) with what it asked and what the hosts have.
 */
public final class Unplaceable extends RuntimeException {
    public Unplaceable(HostPool pool, PlacementRequest request) {
        super("no host of pool '" + pool.name() + "' can ever run a job asking for " + request + "; its hosts have: "
                + String.join(
                        "; ",
                        pool.members().stream()
                                .map(m -> m.hostAndPort() + " "
                                        + (m.capacity().isDeclared()
                                                ? m.capacity().describe()
                                                : "no GPUs, cpus and mem not declared"))
                                .toList()));
    }
}
