package io.caravan.core.ssh;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

/** N calls released at the same instant, each on its own thread, as a fan-out hits a host. */
final class Burst {
    private Burst() {}

    /** Outcome of one call: its value or what it threw. */
    record Outcome<T>(int index, T value, Throwable error) {
        boolean failed() {
            return error != null;
        }
    }

    static <T> List<Outcome<T>> run(int count, IntFunction<T> call) throws InterruptedException {
        ExecutorService threads = Executors.newFixedThreadPool(count);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<Outcome<T>>> futures = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                int index = i;
                futures.add(threads.submit(() -> {
                    go.await();
                    try {
                        return new Outcome<>(index, call.apply(index), null);
                    } catch (RuntimeException e) {
                        return new Outcome<>(index, null, e);
                    }
                }));
            }
            go.countDown();
            List<Outcome<T>> outcomes = new ArrayList<>();
            for (Future<Outcome<T>> f : futures) {
                try {
                    outcomes.add(f.get(5, TimeUnit.MINUTES));
                } catch (Exception e) {
                    throw new AssertionError("a burst call did not finish", e);
                }
            }
            return outcomes;
        } finally {
            threads.shutdownNow();
        }
    }
}
