package io.caravan.core.storage;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * Group commit: what is handed in while a batch is being written goes together into the next one, so a burst
 * of a thousand costs a handful of transactions instead of a thousand, and a lone item is written at once (it
 * never waits for company). A batch that fails is written again item by item, so one bad item fails alone.
 *
 * @param <T> what is written
 * @param <R> what the write answers for each item, in order
 */
public final class GroupCommit<T, R> {
    private final Function<List<T>, List<R>> write;
    private final Executor executor;
    private final int maxBatch;
    private final ConcurrentLinkedQueue<Pending<T, R>> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean draining = new AtomicBoolean();

    /** @param write writes a batch in one transaction; answers one result per item, in order */
    public GroupCommit(Function<List<T>, List<R>> write, Executor executor, int maxBatch) {
        this.write = write;
        this.executor = executor;
        this.maxBatch = maxBatch;
    }

    private record Pending<T, R>(T item, CompletableFuture<R> done) {}

    /** Queues the item; the future completes once its batch is committed (or failed). Never blocks. */
    public CompletableFuture<R> add(T item) {
        Pending<T, R> pending = new Pending<>(item, new CompletableFuture<>());
        queue.add(pending);
        schedule();
        return pending.done();
    }

    private void schedule() {
        if (!draining.compareAndSet(false, true)) {
            return;
        }
        try {
            executor.execute(this::drain);
        } catch (RejectedExecutionException e) {
            draining.set(false);
            for (Pending<T, R> p; (p = queue.poll()) != null; ) {
                p.done().completeExceptionally(e);
            }
        }
    }

    private void drain() {
        try {
            for (List<Pending<T, R>> batch = take(); !batch.isEmpty(); batch = take()) {
                writeOrSplit(batch);
            }
        } finally {
            draining.set(false);
            if (!queue.isEmpty()) {
                schedule(); // added between the last take and the reset
            }
        }
    }

    private List<Pending<T, R>> take() {
        List<Pending<T, R>> batch = new ArrayList<>();
        for (Pending<T, R> p; batch.size() < maxBatch && (p = queue.poll()) != null; ) {
            batch.add(p);
        }
        return batch;
    }

    private void writeOrSplit(List<Pending<T, R>> batch) {
        List<R> results;
        try {
            results = write.apply(batch.stream().map(Pending::item).toList());
        } catch (RuntimeException e) {
            if (batch.size() == 1) {
                batch.get(0).done().completeExceptionally(e);
            } else {
                batch.forEach(p -> writeOrSplit(List.of(p)));
            }
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).done().complete(results.get(i));
        }
    }
}
