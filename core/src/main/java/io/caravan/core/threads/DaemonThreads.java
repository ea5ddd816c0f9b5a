package io.caravan.core.threads;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The thread factory of Caravan's own executors: daemon threads, so an executor someone forgot to shut down
 * never keeps the JVM from exiting (each is still shut down where it is owned), named for what they do, so a
 * thread dump reads without a map.
 */
public final class DaemonThreads implements ThreadFactory {
    private final String name;
    private final AtomicInteger count;

    private DaemonThreads(String name, boolean numbered) {
        this.name = name;
        this.count = numbered ? new AtomicInteger() : null;
    }

    /** Every thread called {@code name}: for an executor of one thread. */
    public static ThreadFactory named(String name) {
        return new DaemonThreads(name, false);
    }

    /** Threads called {@code name-1}, {@code name-2}, …: for a pool. */
    public static ThreadFactory numbered(String name) {
        return new DaemonThreads(name, true);
    }

    @Override
    public Thread newThread(Runnable task) {
        Thread t = new Thread(task, count == null ? name : name + "-" + count.incrementAndGet());
        t.setDaemon(true);
        return t;
    }
}
