package io.caravan.core.jobs;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import io.caravan.core.ssh.SshTarget;

/**
 * Free slots of pool hosts in this process. A job aimed at a pool takes a slot on the host with the most
 * free slots, or waits, first come first served, until one is released.
 */
public final class SlotBoard {
    private final Map<SshTarget, Integer> busy = new HashMap<>();
    private final Deque<Waiter> waiting = new ArrayDeque<>();

    private record Waiter(HostPool pool, CompletableFuture<HostPool.Member> slot) {
    }

    public synchronized CompletableFuture<HostPool.Member> acquire(HostPool pool) {
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

    /** Gives the slot back; the first waiter that can use the host takes it at once. */
    public synchronized void release(HostPool.Member member) {
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
