package io.caravan.core.ssh;

import org.apache.sshd.client.session.ClientSession;

/**
 * One long-lived session and the channels it carries. Its channel cap starts at the configured value;
 * a refusal from the server lowers it to what the server just accepted, and clean opens raise it back
 * slowly. All state is guarded by the owning {@link TargetPool}'s lock.
 */
final class PooledConnection {
    private static final int OPENS_BEFORE_REGROWTH = 32;

    final ClientSession session;
    private final int configuredCap;
    private int cap;
    private int active;
    private int opensSinceRefusal;
    private long idleSinceNanos = System.nanoTime();
    private boolean retired;

    PooledConnection(ClientSession session, int configuredCap) {
        this.session = session;
        this.configuredCap = configuredCap;
        this.cap = configuredCap;
    }

    boolean hasFreeSlot() {
        return !retired && active < cap && session.isOpen() && !session.isClosing();
    }

    int active() {
        return active;
    }

    void reserve() {
        active++;
    }

    void release() {
        active--;
        if (active == 0) {
            idleSinceNanos = System.nanoTime();
        }
    }

    void channelOpened() {
        if (++opensSinceRefusal >= OPENS_BEFORE_REGROWTH && cap < configuredCap) {
            cap++;
            opensSinceRefusal = 0;
        }
    }

    /** The refused attempt holds one of {@code active}; the server accepted the others. */
    void channelRefused() {
        cap = Math.max(1, Math.min(cap, active - 1));
        opensSinceRefusal = 0;
    }

    boolean idleLongerThan(long nanos, long now) {
        return active == 0 && now - idleSinceNanos > nanos;
    }

    void retire() {
        retired = true;
    }

    boolean retired() {
        return retired;
    }
}
