package io.caravan.core.ssh;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.sshd.client.session.ClientSession;

/**
 * The long-lived connections to one target and the channel slots on them. Callers wait here for a
 * slot; at most one connection attempt per target is in flight, and a new connection is opened only
 * when every live one is full. Failed attempts are spaced by the pool's {@link ReconnectBudget}; when
 * the budget is spent with no live connection, everyone who was waiting gets the failure at once
 * rather than each caller paying for its own series of doomed handshakes. A fatal failure (see
 * {@link FailureKind#fatal()}) is never retried and holds the target closed for {@link SshSettings#fatalHold()}.
 */
final class TargetPool {
    private final SshTarget target;
    private final SessionOpener opener;
    private final SshSettings settings;
    private final SshMetrics metrics;
    private final ReconnectBudget budget;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<PooledConnection> connections = new ArrayList<>();
    private int connecting;
    private long nextConnectNanos = System.nanoTime();
    private boolean reconnecting;
    private SshFailure lastFailure;
    private long failureEpoch;
    /** The last fatal failure; while {@link #heldUntilNanos} has not passed, no connection is tried. */
    private SshFailure fatal;

    private long heldUntilNanos;
    private boolean closed;

    TargetPool(SshTarget target, SessionOpener opener, SshSettings settings, SshMetrics metrics) {
        this.target = target;
        this.opener = opener;
        this.settings = settings;
        this.metrics = metrics;
        this.budget = new ReconnectBudget(settings.reconnect());
    }

    SshTarget target() {
        return target;
    }

    Lease acquire(long deadlineNanos) throws InterruptedException {
        lock.lock();
        boolean acquired = false;
        try {
            long epoch = failureEpoch;
            while (true) {
                if (closed) {
                    throw new SshFailure(FailureKind.TRANSPORT, "the SSH transport is closed");
                }
                if (failureEpoch != epoch) {
                    throw lastFailure;
                }
                PooledConnection free = firstWithFreeSlot();
                if (free != null) {
                    free.reserve();
                    acquired = true;
                    return new Lease(this, free);
                }
                long now = System.nanoTime();
                if (now - deadlineNanos >= 0) {
                    throw new SshFailure(
                            FailureKind.TRANSPORT,
                            "no free channel to " + target + " within "
                                    + settings.channelWait().toSeconds() + " s");
                }
                boolean held = fatal != null && now - heldUntilNanos < 0;
                if (held && live() == 0) {
                    throw fatal.repeated();
                }
                if (!held && connecting == 0 && live() < settings.maxConnectionsPerTarget()) {
                    if (now - nextConnectNanos >= 0) {
                        connect();
                        continue;
                    }
                    changed.await(Math.min(deadlineNanos, nextConnectNanos) - now, TimeUnit.NANOSECONDS);
                } else {
                    changed.await(deadlineNanos - now, TimeUnit.NANOSECONDS);
                }
            }
        } finally {
            if (!acquired) {
                changed.signal(); // pass on a wake-up this caller may have consumed
            }
            lock.unlock();
        }
    }

    /** Called with the lock held; releases it during the handshake. */
    private void connect() throws InterruptedException {
        connecting++;
        ClientSession session = null;
        SshFailure failure = null;
        lock.unlock();
        try {
            session = opener.open(target);
        } catch (SshFailure f) {
            failure = f;
        } catch (RuntimeException e) {
            failure = new SshFailure(FailureKind.TRANSPORT, "cannot open a session to " + target + ": " + e, e);
        } finally {
            lock.lock();
            connecting--;
            changed.signalAll();
        }
        if (failure == null) {
            added(session);
        } else {
            connectFailed(failure);
        }
    }

    private void added(ClientSession session) {
        fatal = null;
        PooledConnection connection = new PooledConnection(session, settings.maxChannelsPerConnection());
        connections.add(connection);
        if (reconnecting) {
            metrics.reconnect(target.hostAndPort());
            reconnecting = false;
        }
        session.addCloseFutureListener(f -> lost(connection));
    }

    private void connectFailed(SshFailure failure) {
        reconnecting = true;
        if (failure.fatal()) {
            // the same credentials fail the same way: nobody tries this target again until the hold is over
            fatal = failure;
            heldUntilNanos = System.nanoTime() + settings.fatalHold().toNanos();
        }
        if (!failure.retryable()) {
            terminal(failure);
            throw failure;
        }
        Optional<Duration> delay = budget.failed();
        if (delay.isPresent()) {
            nextConnectNanos = System.nanoTime() + delay.get().toNanos();
            return;
        }
        budget.succeeded(); // callers arriving later start a fresh budget
        nextConnectNanos = System.nanoTime();
        if (live() == 0) {
            SshFailure spent = failure.budgetSpent(settings.reconnect().maxAttempts());
            terminal(spent);
            throw spent;
        }
    }

    private void terminal(SshFailure failure) {
        lastFailure = failure;
        failureEpoch++;
        changed.signalAll();
    }

    private void lost(PooledConnection connection) {
        lock.lock();
        try {
            if (connections.remove(connection) && !connection.retired()) {
                reconnecting = true;
            }
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void release(PooledConnection connection) {
        withLock(() -> {
            connection.release();
            changed.signal();
        });
    }

    void channelOpened(PooledConnection connection) {
        withLock(connection::channelOpened);
        metrics.channelOpened(target.hostAndPort());
    }

    void channelRefused(PooledConnection connection) {
        withLock(connection::channelRefused);
        metrics.channelRefused(target.hostAndPort());
    }

    /** A whole operation succeeded: only now is the transport trusted again. */
    void operationSucceeded() {
        budget.succeeded();
    }

    void closeIdle(long idleNanos) {
        List<PooledConnection> idle = new ArrayList<>();
        withLock(() -> {
            long now = System.nanoTime();
            for (PooledConnection c : connections) {
                if (c.idleLongerThan(idleNanos, now)) {
                    c.retire();
                    idle.add(c);
                }
            }
            connections.removeAll(idle);
        });
        idle.forEach(c -> c.session.close(false));
    }

    int channelsInUse() {
        lock.lock();
        try {
            return connections.stream().mapToInt(PooledConnection::active).sum();
        } finally {
            lock.unlock();
        }
    }

    int openConnections() {
        lock.lock();
        try {
            return live();
        } finally {
            lock.unlock();
        }
    }

    void close() {
        List<PooledConnection> all = new ArrayList<>();
        withLock(() -> {
            closed = true;
            connections.forEach(PooledConnection::retire);
            all.addAll(connections);
            connections.clear();
            changed.signalAll();
        });
        all.forEach(c -> c.session.close(true));
    }

    private PooledConnection firstWithFreeSlot() {
        for (PooledConnection c : connections) {
            if (c.hasFreeSlot()) {
                return c;
            }
        }
        return null;
    }

    private int live() {
        int n = 0;
        for (PooledConnection c : connections) {
            if (!c.retired() && c.session.isOpen() && !c.session.isClosing()) {
                n++;
            }
        }
        return n;
    }

    private void withLock(Runnable action) {
        lock.lock();
        try {
            action.run();
        } finally {
            lock.unlock();
        }
    }
}
