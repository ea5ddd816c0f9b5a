package io.caravan.core.jobs;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;

import io.caravan.core.ssh.SshTarget;

/**
 * Free slots of pool hosts in this process. A job aimed at a pool takes a slot on the host with the most
 * free slots, or waits, first come first served, until one is freed.
 */
public final class PoolReservations {
    private final Map<SshTarget, Integer> busy = new HashMap<>();
    private final Deque<Waiter> waiting = new ArrayDeque<>();
    private final Predicate<SshTarget> usable;

    /** Every host of a pool is this process's to use. */
    public PoolReservations() {
        this(t -> true);
    }

    /** @param usable the hosts this process may start jobs on now (in a cluster: those it owns) */
    public PoolReservations(Predicate<SshTarget> usable) {
        this.usable = usable;
    }

    private record Waiter(HostPool pool, CompletableFuture<HostPool.Member> slot) {
    }

    public synchronized CompletableFuture<HostPool.Member> reserve(HostPool pool) {
        CompletableFuture<HostPool.Member> slot = new CompletableFuture<>();
        HostPool.Member free = freest(pool);
        if (free != null) {
            take(free);
            slot.complete(free);
        } else {
            waiting.add(new Waiter(pool, slot));
        }
        return slot;
    }

    /**
     * An attempt taken up again after its engine stopped goes back to the host its job runs on, whatever
     * the count there: the job is running already. A host no longer in the pool: a free slot as usual.
     */
    public synchronized CompletableFuture<HostPool.Member> adopt(HostPool pool, String hostAndPort) {
        for (HostPool.Member m : pool.members()) {
            if (m.target().hostAndPort().equals(hostAndPort)) {
                take(m);
                return CompletableFuture.completedFuture(m);
            }
        }
        return reserve(pool);
    }

    /** Free slots per host ({@code host:port}) among the pool's hosts that {@code mayUse} admits. */
    public synchronized Map<String, Integer> freeSlots(HostPool pool, Predicate<SshTarget> mayUse) {
        Map<String, Integer> free = new java.util.LinkedHashMap<>();
        for (HostPool.Member m : pool.members()) {
            if (mayUse.test(m.target())) {
                free.put(m.target().hostAndPort(), Math.max(0, m.slots() - busy.getOrDefault(m.target(), 0)));
            }
        }
        return free;
    }

    /** Gives the slot back; the first waiter that can use the host takes it at once. */
    public synchronized void free(HostPool.Member member) {
        busy.merge(member.target(), -1, Integer::sum);
        for (var it = waiting.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            if (w.slot().isDone()) { // cancelled while waiting
                it.remove();
                continue;
            }
            HostPool.Member free = freest(w.pool());
            if (free != null) {
                it.remove();
                take(free);
                w.slot().complete(free);
                return;
            }
        }
    }

    public synchronized int busy(SshTarget target) {
        return busy.getOrDefault(target, 0);
    }

    private HostPool.Member freest(HostPool pool) {
        HostPool.Member best = null;
        int bestFree = 0;
        for (HostPool.Member m : pool.members()) {
            if (!usable.test(m.target())) {
                continue;
            }
            int free = m.slots() - busy.getOrDefault(m.target(), 0);
            if (free > bestFree) {
                best = m;
                bestFree = free;
            }
        }
        return best;
    }

    private void take(HostPool.Member member) {
        busy.merge(member.target(), 1, Integer::sum);
    }
}
