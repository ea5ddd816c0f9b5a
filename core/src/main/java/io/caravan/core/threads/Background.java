package io.caravan.core.threads;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.LoggerFactory;

/**
 * One start-up step on a thread of its own, joined later: steps that do not depend on each other (the schema's
 * migration and Hibernate's boot, the SSH client and the database) overlap on a machine with more than one core.
 * What the step throws is thrown again, as it was, by {@link #join}.
 */
public final class Background<T> {
    private final CompletableFuture<T> result;

    private Background(CompletableFuture<T> result) {
        this.result = result;
    }

    /** Starts {@code work} now on a daemon thread called {@code name}. */
    public static <T> Background<T> start(String name, Supplier<T> work) {
        // logging is set up by the caller first: SLF4J set up by two threads at once replays, and warns on stderr of,
        // the calls it held back meanwhile
        LoggerFactory.getILoggerFactory();
        CompletableFuture<T> result = new CompletableFuture<>();
        DaemonThreads.named(name)
                .newThread(() -> {
                    try {
                        result.complete(work.get());
                    } catch (Throwable e) {
                        result.completeExceptionally(e);
                    }
                })
                .start();
        return new Background<>(result);
    }

    /** The step's result once it is done; what it threw, thrown again. */
    public T join() {
        try {
            return result.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw e;
        }
    }

    /** Waits for the step and returns what it threw, or null: for a caller failing anyway, to say the first cause. */
    public Throwable failure() {
        try {
            result.join();
            return null;
        } catch (CompletionException e) {
            return e.getCause();
        }
    }

    /** The caller failed and will not use the result: {@code close} it when it comes (now, if it has). */
    public void discard(Consumer<T> close) {
        result.thenAccept(close);
    }
}
