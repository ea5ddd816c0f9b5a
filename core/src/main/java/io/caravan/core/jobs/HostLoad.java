package io.caravan.core.jobs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the jobs placed on one pool host hold there now: slots, GPU indices (by job), cores and memory. */
final class HostLoad {
    private final Map<String, Reservation> byKey = new LinkedHashMap<>();
    private final Map<Integer, String> gpuHolders = new TreeMap<>();
    private int cpus;
    private long mem;

    Reservation held(String key) {
        return byKey.get(key);
    }

    int slots() {
        return byKey.size();
    }

    /** Whether the job fits now: a slot free and all that it asks for. */
    boolean fits(HostPool.Member m, PlacementRequest r) {
        return byKey.size() < m.slots()
                && r.fitsIn(m.capacity())
                && freeGpus(m).size() >= r.gpus()
                && (m.capacity().cpus() == 0 || cpus + r.cpus() <= m.capacity().cpus())
                && (m.capacity().mem() == null
                        || mem + r.memBytes() <= m.capacity().mem().bytes());
    }

    /** A reservation of the lowest free GPU indices (as many as are free, up to the request's count). */
    Reservation reserve(String key, HostPool.Member m, PlacementRequest r) {
        List<Integer> free = freeGpus(m);
        Reservation taken =
                new Reservation(key, m, free.subList(0, Math.min(r.gpus(), free.size())), r.cpus(), r.memBytes());
        add(taken);
        return taken;
    }

    List<Integer> freeGpus(HostPool.Member m) {
        List<Integer> free = new ArrayList<>(m.capacity().gpus());
        free.removeAll(gpuHolders.keySet());
        return free;
    }

    void add(Reservation r) {
        byKey.put(r.key(), r);
        r.gpus().forEach(g -> gpuHolders.put(g, r.key()));
        cpus += r.cpus();
        mem += r.memBytes();
    }

    boolean remove(Reservation r) {
        if (byKey.get(r.key()) != r) {
            return false;
        }
        byKey.remove(r.key());
        r.gpus().forEach(g -> gpuHolders.remove(g, r.key()));
        cpus -= r.cpus();
        mem -= r.memBytes();
        return true;
    }

    /** GPU index → the job holding it. */
    Map<Integer, String> gpuHolders() {
        return Map.copyOf(gpuHolders);
    }
}
