package io.caravan.routes.remotejob;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.caravan.spi.CleanupResult;
import io.caravan.spi.JobBackend;
import io.caravan.spi.JobSpec;
import io.caravan.spi.JobStatus;
import io.caravan.spi.LogChunk;
import io.caravan.spi.LogRange;

/**
 * An in-memory backend whose jobs the test moves along by hand: for the supervisor's own logic (rounds,
 * timeouts, chunking, failures). The real protocol is tested on real sshd elsewhere.
 */
final class ScriptedBackend implements JobBackend {
    final Map<String, StringBuilder> logs = new ConcurrentHashMap<>();
    final Map<String, Integer> exits = new ConcurrentHashMap<>();
    final Map<String, Boolean> alive = new ConcurrentHashMap<>();
    final List<String> signals = new ArrayList<>();
    final AtomicInteger polls = new AtomicInteger();
    final AtomicInteger submits = new AtomicInteger();
    final List<String> cleaned = new CopyOnWriteArrayList<>();
    volatile Throwable failNext;

    /** A job's log once the supervisor has submitted the job (on its own thread, in its own time). */
    StringBuilder logOf(String id) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!logs.containsKey(id)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("job " + id + " was never submitted");
            }
            Thread.sleep(10);
        }
        return logs.get(id);
    }

    @Override
    public void submit(List<JobSpec> jobs) {
        fail();
        submits.incrementAndGet();
        jobs.forEach(j -> {
            logs.putIfAbsent(j.id(), new StringBuilder());
            alive.putIfAbsent(j.id(), true);
        });
    }

    @Override
    public List<JobStatus> poll(List<String> ids) {
        fail();
        polls.incrementAndGet();
        return ids.stream()
                .map(id -> {
                    long size = logs.get(id).toString().getBytes(StandardCharsets.UTF_8).length;
                    Integer exit = exits.get(id);
                    return exit != null
                            ? new JobStatus(id, JobStatus.JobState.EXITED, exit, size)
                            : alive.get(id)
                                    ? new JobStatus(id, JobStatus.JobState.RUNNING, null, size)
                                    : new JobStatus(id, JobStatus.JobState.LOST, null, size);
                })
                .toList();
    }

    @Override
    public List<LogChunk> readLogs(List<LogRange> ranges) {
        return ranges.stream()
                .map(r -> {
                    byte[] all = logs.get(r.id()).toString().getBytes(StandardCharsets.UTF_8);
                    int from = (int) Math.min(all.length, r.offset());
                    int to = (int) Math.min(all.length, r.offset() + r.length());
                    return new LogChunk(r.id(), r.offset(), Arrays.copyOfRange(all, from, to));
                })
                .toList();
    }

    @Override
    public Map<String, String> outputs(List<String> ids) {
        return Map.of();
    }

    @Override
    public synchronized void cancel(List<String> ids, boolean force) {
        ids.forEach(id -> signals.add((force ? "KILL " : "TERM ") + id));
        if (force) {
            ids.forEach(id -> alive.put(id, false));
        }
    }

    @Override
    public List<CleanupResult> cleanup(List<String> ids) {
        cleaned.addAll(ids);
        return ids.stream().map(id -> new CleanupResult(id, true, null)).toList();
    }

    private void fail() {
        Throwable e = failNext;
        if (e != null) {
            failNext = null;
            if (e instanceof Error error) {
                throw error;
            }
            throw (RuntimeException) e;
        }
    }
}
