package io.caravan.core.ssh;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Limits unauthenticated handshakes in flight to one sshd, so that Caravan alone never reaches its
 * MaxStartups threshold. A MaxStartups-style drop halves the limit and pauses new handshakes with a
 * jittered, growing delay; each success raises the limit by one again (AIMD, as TCP does).
 */
final class HandshakeGate {
    private final String host;
    private final SshSettings.GateSettings settings;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private int limit;
    private int inFlight;
    private int consecutiveDrops;
    private long notBeforeNanos = System.nanoTime();

    HandshakeGate(String host, SshSettings.GateSettings settings) {
        this.host = host;
        this.settings = settings;
        this.limit = settings.initial();
    }

    void enter(long deadlineNanos) throws InterruptedException {
        lock.lock();
        try {
            while (true) {
                long now = System.nanoTime();
                if (inFlight < limit && now - notBeforeNanos >= 0) {
                    inFlight++;
                    notBeforeNanos = now + settings.minSpacing().toNanos();
                    return;
                }
                if (now - deadlineNanos >= 0) {
                    throw new SshFailure(
                            FailureKind.CONNECT_TIMEOUT,
                            "no handshake slot for " + host + " within the connect timeout (" + inFlight
                                    + " handshakes in flight, limit " + limit + ")");
                }
                long wait = inFlight < limit ? notBeforeNanos - now : deadlineNanos - now;
                changed.await(Math.min(wait, deadlineNanos - now), TimeUnit.NANOSECONDS);
            }
        } finally {
            lock.unlock();
        }
    }

    void succeeded() {
        leave(() -> {
            consecutiveDrops = 0;
            limit = Math.min(settings.max(), limit + 1);
        });
    }

    void dropped() {
        leave(() -> {
            consecutiveDrops++;
            limit = Math.max(settings.min(), limit / 2);
            Duration pause = settings.afterDrop().delayBeforeRetry(consecutiveDrops);
            notBeforeNanos = Math.max(notBeforeNanos, System.nanoTime() + pause.toNanos());
        });
    }

    /** A failure that says nothing about the server's load (refused port, bad key): the limit stays. */
    void failed() {
        leave(() -> {});
    }

    int limit() {
        lock.lock();
        try {
            return limit;
        } finally {
            lock.unlock();
        }
    }

    private void leave(Runnable adjust) {
        lock.lock();
        try {
            inFlight--;
            adjust.run();
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
