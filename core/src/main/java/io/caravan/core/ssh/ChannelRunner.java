package io.caravan.core.ssh;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The retry loop of one operation: lease a slot, run, hand the slot back. A refused channel is retried
 * on the pool after a short jittered pause (a signal to wait, not to reconnect); a lost connection is
 * retried within the reconnect budget, but only when the command never reached the server or the
 * caller said it may run twice. Both loops are capped.
 */
final class ChannelRunner {
    @FunctionalInterface
    interface Work<T> {
        T run(Lease lease);
    }

    private final SshSettings settings;

    ChannelRunner(SshSettings settings) {
        this.settings = settings;
    }

    <T> T run(TargetPool pool, boolean idempotent, Work<T> work) throws InterruptedException {
        long deadline = System.nanoTime() + settings.channelWait().toNanos();
        int refusals = 0;
        int losses = 0;
        while (true) {
            Duration pause;
            try (Lease lease = pool.acquire(deadline)) {
                try {
                    T result = work.run(lease);
                    pool.operationSucceeded();
                    return result;
                } catch (SshFailure f) {
                    if (f.kind() == FailureKind.CHANNEL_REFUSED) {
                        lease.channelRefused();
                        refusals++;
                        pause = retryOrThrow(f, settings.channelRefused(), refusals);
                    } else if (f.kind() == FailureKind.CONNECTION_LOST && (idempotent || !lease.opened())) {
                        losses++;
                        pause = retryOrThrow(f, settings.reconnect(), losses);
                    } else {
                        throw f;
                    }
                }
            }
            TimeUnit.NANOSECONDS.sleep(pause.toNanos());
        }
    }

    private static Duration retryOrThrow(SshFailure failure, Backoff backoff, int failures) {
        if (backoff.exhausted(failures)) {
            throw failure.budgetSpent(failures);
        }
        return backoff.delayBeforeRetry(failures);
    }
}
