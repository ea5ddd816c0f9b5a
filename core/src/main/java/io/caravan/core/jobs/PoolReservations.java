package io.caravan.core.jobs;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

import io.caravan.core.ssh.SshTarget;

/**
 * What the jobs of pool hosts hold in this process: slots and, of what a job asks for, GPU indices, cores and
 * memory. A job aimed at a pool is placed on the host with the most free slots among those where all that it asks
 * is free, or waits until it is.
 *
 * <p>Fair order: the waiting jobs of a pool are served first come, first served; one that does not fit yet holds
 * back those of its pool behind it, so a stream of small requests cannot starve a large one (it waits only for
 * enough to be freed). A request no host could ever hold fails at once ({@link Unplaceable}).
 *
 * <p>What jobs hold survives the engine: it is stored with each placement, and before this process reserves
 * anything on a host it takes back all that is stored as held there ({@code stored}), so a job adopted after a
 * restart or a failover keeps its GPU indices, and no job is given them meanwhile, whichever task or run it
 * belongs to. What is held that way for a job this process does not run (another node's, on a host this node took
 * while that job ran on) is read again every {@code recheck} while it lasts, and freed once it is no longer stored.
 */
public final class PoolReservations {
    private final Map<String, HostLoad> loads = new HashMap<>();
    private final Deque<Waiter> waiting = new ArrayDeque<>();
    private final Predicate<SshTarget> usable;
    private final Function<String, List<Reservation.Stored>> stored;
    private final ToLongFunction<String> taken;
    /**
     * Hosts whose stored reservations were taken back, with the {@code taken} count they were read at (the map's
     * lock makes a second reader wait for the first).
     */
    private final Map<String, Long> loaded = new ConcurrentHashMap<>();
    /** Per host, the keys taken back from what is stored that no job of this process holds (guarded by this). */
    private final Map<String, Set<String>> foreign = new HashMap<>();
    /** Per host, when its foreign keys were last checked against what is stored ({@link System#nanoTime}). */
    private final Map<String, Long> foreignCheckedAt = new ConcurrentHashMap<>();

    private final Duration recheck;

    /** Every host of a pool is this process's to use; nothing is stored. */
    public PoolReservations() {
        this(t -> true, host -> List.of(), host -> 0, Duration.ofSeconds(1));
    }

    /**
     * @param usable the hosts this process may start jobs on now (in a cluster: those it owns)
     * @param stored what is stored as held on a host ({@code host:port}), read before the host's first use, and
     *     again whenever {@code taken} changes
     * @param taken  how many times this process has taken the host ({@code host:port}); in a cluster, a node that
     *     gives a host up and takes it back must see what other nodes placed there meanwhile, or it would hand out
     *     GPUs their jobs still hold
     * @param recheck how often what other processes' jobs hold on a host is read again while they hold it: their ends
     *     free it here (this process is not told of them otherwise)
     */
    public PoolReservations(
            Predicate<SshTarget> usable,
            Function<String, List<Reservation.Stored>> stored,
            ToLongFunction<String> taken,
            Duration recheck) {
        this.usable = usable;
        this.stored = stored;
        this.taken = taken;
        this.recheck = recheck;
    }

    private record Waiter(HostPool pool, String key, PlacementRequest request, CompletableFuture<Reservation> placed) {}

    /** A slot and what the job asks for on one of the pool's hosts, now or when freed; fails if none ever could. */
    public CompletableFuture<Reservation> reserve(HostPool pool, String key, PlacementRequest request) {
        load(pool);
        releaseEnded(pool);
        synchronized (this) {
            CompletableFuture<Reservation> placed = new CompletableFuture<>();
            if (pool.members().stream().noneMatch(m -> request.fitsIn(m.capacity()))) {
                placed.completeExceptionally(new Unplaceable(pool, request));
                return placed;
            }
            boolean queued = waiting.stream()
                    .anyMatch(w ->
                            w.pool().name().equals(pool.name()) && !w.placed().isDone());
            Reservation now = queued ? null : place(pool, key, request);
            if (now != null) {
                placed.complete(now);
            } else {
                waiting.add(new Waiter(pool, key, request, placed));
            }
            return placed;
        }
    }

    /**
     * An attempt taken up again after its engine stopped goes back to the host its job runs on, whatever is free
     * there: the job is running already. It holds what was stored with its placement (the same GPU indices); a
     * host no longer in the pool: a reservation as usual.
     */
    public CompletableFuture<Reservation> adopt(
            HostPool pool, String hostAndPort, String key, PlacementRequest request) {
        HostPool.Member member = pool.members().stream()
                .filter(m -> m.hostAndPort().equals(hostAndPort))
                .findFirst()
                .orElse(null);
        if (member == null) {
            return reserve(pool, key, request);
        }
        load(pool);
        synchronized (this) {
            Reservation held = load(member).held(key);
            if (held != null) {
                foreignOn(hostAndPort).remove(key); // this process runs it now: its end frees it
                return CompletableFuture.completedFuture(held);
            }
        }
        // stored after this process first read the host (by a node that owned it meanwhile): read again, outside the
        // lock
        Reservation.Stored mine = stored.apply(hostAndPort).stream()
                .filter(s -> s.key().equals(key))
                .findFirst()
                .orElse(null);
        synchronized (this) {
            HostLoad load = load(member);
            Reservation held = load.held(key);
            foreignOn(hostAndPort).remove(key);
            if (held == null) {
                held = mine != null
                        ? new Reservation(key, member, mine.gpus(), mine.cpus(), mine.memBytes())
                        : load.reserve(key, member, request);
                if (mine != null) {
                    load.add(held);
                }
            }
            return CompletableFuture.completedFuture(held);
        }
    }

    /**
     * Free slots per host ({@code host:port}) among the pool's hosts that {@code mayUse} admits. Asked at each of the
     * engine's dispatches, so it is also where what other processes' jobs held, and no longer do, is freed.
     */
    public Map<String, Integer> freeSlots(HostPool pool, Predicate<SshTarget> mayUse) {
        load(pool);
        releaseEnded(pool);
        synchronized (this) {
            Map<String, Integer> free = new LinkedHashMap<>();
            for (HostPool.Member m : pool.members()) {
                if (mayUse.test(m.target())) {
                    free.put(m.hostAndPort(), Math.max(0, m.slots() - load(m).slots()));
                }
            }
            return free;
        }
    }

    /**
     * The job ended: what it held is free, and the waiting jobs that fit now take it, in their order; what other
     * processes' jobs held on its host and no longer do is freed too (a process on its own is asked nothing else).
     */
    public void free(Reservation reservation) {
        synchronized (this) {
            if (load(reservation.member()).remove(reservation)) {
                serveWaiting();
            }
        }
        releaseEnded(reservation.member());
    }

    /**
     * Frees what other processes' jobs held on the pool's hosts and no longer do (ended, or adopted by this process
     * under another reservation): read again outside the lock, at most once per {@code recheck} per host.
     */
    private void releaseEnded(HostPool pool) {
        pool.members().forEach(this::releaseEnded);
    }

    private void releaseEnded(HostPool.Member m) {
        String host = m.hostAndPort();
        long now = System.nanoTime();
        Long checked = foreignCheckedAt.get(host);
        if (checked != null && now - checked < recheck.toNanos()) {
            return; // every reservation and every job's end passes here: no lock until a check is due
        }
        foreignCheckedAt.put(host, now);
        Set<String> before;
        synchronized (this) {
            before = Set.copyOf(foreignOn(host));
        }
        if (before.isEmpty()) {
            return;
        }
        Set<String> still =
                stored.apply(host).stream().map(Reservation.Stored::key).collect(Collectors.toSet());
        synchronized (this) {
            HostLoad load = load(m);
            boolean freed = false;
            for (String key : before) {
                // only keys foreign before the read: one taken back since may be missing from it
                if (!still.contains(key) && foreignOn(host).remove(key)) {
                    Reservation gone = load.held(key);
                    freed |= gone != null && load.remove(gone);
                }
            }
            if (freed) {
                serveWaiting();
            }
        }
    }

    private Set<String> foreignOn(String host) {
        return foreign.computeIfAbsent(host, h -> new HashSet<>());
    }

    /** The waiting jobs that fit now take what is free, in their order (first come, first served within a pool). */
    private void serveWaiting() {
        Set<String> heldBack = new HashSet<>();
        for (var it = waiting.iterator(); it.hasNext(); ) {
            Waiter w = it.next();
            if (w.placed().isDone()) { // cancelled while waiting
                it.remove();
                continue;
            }
            if (heldBack.contains(w.pool().name())) {
                continue;
            }
            Reservation placed = place(w.pool(), w.key(), w.request());
            if (placed == null) {
                heldBack.add(w.pool().name()); // first come, first served within a pool
            } else {
                it.remove();
                w.placed().complete(placed);
            }
        }
    }

    public synchronized int busy(SshTarget target) {
        HostLoad load = loads.get(target.hostAndPort());
        return load == null ? 0 : load.slots();
    }

    /** GPU index → the job holding it, on one host. */
    public synchronized Map<Integer, String> gpuHolders(String hostAndPort) {
        HostLoad load = loads.get(hostAndPort);
        return load == null ? Map.of() : load.gpuHolders();
    }

    private Reservation place(HostPool pool, String key, PlacementRequest request) {
        HostPool.Member best = null;
        int bestFree = 0;
        for (HostPool.Member m : pool.members()) {
            if (!usable.test(m.target()) || !load(m).fits(m, request)) {
                continue;
            }
            int free = m.slots() - load(m).slots();
            if (free > bestFree) {
                best = m;
                bestFree = free;
            }
        }
        return best == null ? null : load(best).reserve(key, best, request);
    }

    private HostLoad load(HostPool.Member m) {
        return loads.computeIfAbsent(m.hostAndPort(), h -> new HostLoad());
    }

    /**
     * Takes back what is stored as held on each host of the pool not read since this process last took it: before
     * anything is reserved there.
     */
    private void load(HostPool pool) {
        for (HostPool.Member m : pool.members()) {
            long now = taken.applyAsLong(m.hostAndPort());
            Long read = loaded.get(m.hostAndPort());
            if (read != null && read == now) {
                continue; // every reservation passes here: no lock when nothing is to be read
            }
            loaded.compute(m.hostAndPort(), (host, readAt) -> {
                if (readAt != null && readAt == now) {
                    return readAt;
                }
                List<Reservation.Stored> held = stored.apply(host);
                foreignCheckedAt.put(host, System.nanoTime()); // just read: no second read at once
                synchronized (this) {
                    HostLoad load = load(m);
                    held.stream().filter(s -> load.held(s.key()) == null).forEach(s -> {
                        load.add(new Reservation(s.key(), m, s.gpus(), s.cpus(), s.memBytes()));
                        foreignOn(host).add(s.key());
                    });
                }
                return now;
            });
        }
    }
}
