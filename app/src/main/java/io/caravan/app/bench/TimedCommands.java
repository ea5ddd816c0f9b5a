package io.caravan.app.bench;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;

/** Runs N numbered commands on P threads and records each one's latency. */
final class TimedCommands {
    private TimedCommands() {}

    /** {@code command} returns true on success. */
    static Measured run(int commands, int parallel, IntPredicate command) throws InterruptedException {
        long[] latencies = new long[commands];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(parallel);
        long start = System.nanoTime();
        for (int t = 0; t < parallel; t++) {
            threads.execute(() -> {
                for (int i; (i = next.getAndIncrement()) < commands; ) {
                    long begin = System.nanoTime();
                    boolean ok;
                    try {
                        ok = command.test(i);
                    } catch (RuntimeException e) {
                        ok = false;
                    }
                    latencies[i] = System.nanoTime() - begin;
                    if (!ok) {
                        failures.incrementAndGet();
                    }
                }
            });
        }
        threads.shutdown();
        if (!threads.awaitTermination(30, TimeUnit.MINUTES)) {
            threads.shutdownNow();
            throw new IllegalStateException("benchmark did not finish in 30 minutes");
        }
        return new Measured(System.nanoTime() - start, LatencyStats.of(latencies), failures.get());
    }

    record Measured(long wallNanos, LatencyStats latency, int failures) {}
}
