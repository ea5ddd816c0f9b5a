package io.caravan.core.ssh;

import java.io.IOException;
import java.net.InetSocketAddress;

import org.apache.sshd.common.util.net.SshdSocketAddress;

/**
 * A local port that reaches a remote address through a pooled connection (like {@code ssh -L}).
 * It holds a channel slot on that connection until closed. Jump hosts use the same mechanism.
 */
public final class PortForward implements AutoCloseable {
    private final Lease lease;
    private final SshdSocketAddress bound;
    private final String remote;

    PortForward(Lease lease, SshdSocketAddress bound, String remote) {
        this.lease = lease;
        this.bound = bound;
        this.remote = remote;
    }

    static PortForward open(Lease lease, String host, int port) {
        try {
            SshdSocketAddress bound = lease.session()
                    .startLocalPortForwarding(new SshdSocketAddress("127.0.0.1", 0), new SshdSocketAddress(host, port));
            return new PortForward(lease, bound, HostAndPort.format(host, port));
        } catch (IOException | RuntimeException e) {
            lease.close();
            throw new SshFailure(
                    FailureKind.TRANSPORT,
                    "cannot forward a local port to " + HostAndPort.format(host, port) + ": "
                            + FailureClassifier.rootMessage(e),
                    e);
        }
    }

    public InetSocketAddress localAddress() {
        return new InetSocketAddress(bound.getHostName(), bound.getPort());
    }

    @Override
    public void close() {
        try {
            lease.session().stopLocalPortForwarding(bound);
        } catch (IOException | RuntimeException e) {
            // the connection is gone, and with it the forwarding
        } finally {
            lease.close();
        }
    }

    @Override
    public String toString() {
        return HostAndPort.format(bound.getHostName(), bound.getPort()) + " -> " + remote;
    }
}
