package io.caravan.core.engine;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An attempt the engine can kill, not only let go of: when its run is cancelled, a remote job's process
 * group is killed on its host. An attempt without it is cancelled as a future.
 */
public interface Killable {
    void kill();

    /**
     * Kills the attempts of a run that ended (cancelled, timed out) and waits, at most {@code wait}, until the
     * killable ones have answered: a remote job is killed at its host's next poll, and a process that ends with the
     * run ({@code caravan run}) must not leave before the kill and the cleanup it lets go. Not answered in time, they
     * are still killed by their host's supervisor if this process lives on.
     */
    static void killAll(Collection<? extends CompletableFuture<?>> attempts, Duration wait) {
        List<CompletableFuture<?>> killed = new ArrayList<>();
        attempts.forEach(f -> {
            if (f instanceof Killable k) {
                k.kill();
                killed.add(f);
            } else {
                f.cancel(true);
            }
        });
        try {
            CompletableFuture.allOf(killed.toArray(CompletableFuture[]::new))
                    .exceptionally(e -> null)
                    .get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // not answered in time: see above
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
