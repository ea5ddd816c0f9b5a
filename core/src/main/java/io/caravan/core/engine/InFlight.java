package io.caravan.core.engine;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.caravan.core.storage.Claim;

/**
 * The attempts this engine holds of one run: their claims (from the claim until their end is recorded), their
 * running futures, and how many answered attempts are still being recorded. Written by the driver's thread and by
 * the workers that record ends.
 */
final class InFlight {
    private final Map<Long, Claim> claims = new ConcurrentHashMap<>();
    private final Map<Long, CompletableFuture<TaskResult>> running = new ConcurrentHashMap<>();
    /** Attempts that have answered and are being recorded and handed back to their executor. */
    private final AtomicInteger recording = new AtomicInteger();

    void claimed(Claim claim) {
        claims.put(claim.instanceId(), claim);
    }

    /** The claim is dropped without an attempt (its attempt could not start, and its end is recorded already). */
    void dropped(Claim claim) {
        claims.remove(claim.instanceId());
    }

    void started(Claim claim, CompletableFuture<TaskResult> attempt) {
        running.put(claim.instanceId(), attempt);
    }

    /** The attempt has answered: its end is being recorded until {@link #recorded}. */
    void answered() {
        recording.incrementAndGet();
    }

    /** The attempt's end is recorded (or could not be): it is no longer held. */
    void recorded(Claim claim) {
        running.remove(claim.instanceId());
        claims.remove(claim.instanceId());
        recording.decrementAndGet();
    }

    /** Whether no answered attempt is still being recorded: the run may end. */
    boolean noneRecording() {
        return recording.get() == 0;
    }

    /** How many attempts of the task this engine holds: what counts against its max_active. */
    long ofTask(String taskId) {
        return claims.values().stream().filter(c -> c.taskId().equals(taskId)).count();
    }

    /** The claims held, to renew their leases. */
    List<Claim> held() {
        return List.copyOf(claims.values());
    }

    /** Kills every running attempt (their run ended elsewhere), waiting for them at most {@code wait}. */
    void killAll(Duration wait) {
        Killable.killAll(List.copyOf(running.values()), wait);
    }

    /** Cancels every running attempt (the engine stops); the claims held, to hand back. */
    List<Claim> cancelAll() {
        // taken before the cancels: a cancelled attempt leaves the claims at once, and its claim must still go back
        List<Claim> held = List.copyOf(claims.values());
        running.values().forEach(f -> f.cancel(false));
        return held;
    }
}
