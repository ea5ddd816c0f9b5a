package io.caravan.core.ssh;

import org.apache.sshd.client.session.ClientSession;

/** One channel slot on a pooled connection, held for one operation and handed back on close. */
final class Lease implements AutoCloseable {
    private final TargetPool pool;
    private final PooledConnection connection;
    private boolean opened;
    private boolean closed;

    Lease(TargetPool pool, PooledConnection connection) {
        this.pool = pool;
        this.connection = connection;
    }

    ClientSession session() {
        return connection.session;
    }

    SshTarget target() {
        return pool.target();
    }

    void channelOpened() {
        opened = true;
        pool.channelOpened(connection);
    }

    /** Whether any channel reached the server: after that a command may have run, so a retry is not free. */
    boolean opened() {
        return opened;
    }

    void channelRefused() {
        pool.channelRefused(connection);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            pool.release(connection);
        }
    }
}
