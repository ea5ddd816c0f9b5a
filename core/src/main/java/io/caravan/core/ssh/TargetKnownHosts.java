package io.caravan.core.ssh;

import java.net.SocketAddress;
import java.security.PublicKey;
import java.util.Collection;
import java.util.List;

import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.util.net.SshdSocketAddress;

/**
 * known_hosts checking for one target, by the target's own host name and port. That name matters when
 * the connection runs through a jump host: the socket then ends at a local forwarding port, which is
 * not what the user's known_hosts lists. Remembers why it refused, for an error message that names host
 * and fingerprint.
 */
final class TargetKnownHosts extends KnownHostsServerKeyVerifier {
    /** Why this session's host key was refused; kept on the session so concurrent handshakes cannot mix it up. */
    static final AttributeRepository.AttributeKey<String> REFUSAL = new AttributeRepository.AttributeKey<>();

    private final SshdSocketAddress logicalAddress;

    TargetKnownHosts(SshTarget target) {
        super(
                target.hostKeyPolicy() == HostKeyPolicy.ACCEPT_NEW
                        ? AcceptAllServerKeyVerifier.INSTANCE
                        : RejectAllServerKeyVerifier.INSTANCE,
                target.knownHosts());
        this.logicalAddress = new SshdSocketAddress(target.host(), target.port());
    }

    @Override
    public boolean verifyServerKey(ClientSession session, SocketAddress remoteAddress, PublicKey serverKey) {
        boolean accepted = super.verifyServerKey(session, logicalAddress, serverKey);
        if (!accepted && session.getAttribute(REFUSAL) == null) {
            session.setAttribute(
                    REFUSAL,
                    "host key of " + describe(serverKey) + " is not in " + getPath()
                            + "; add it (ssh-keyscan -p " + logicalAddress.getPort() + " "
                            + logicalAddress.getHostName()
                            + ") or choose the host key policy 'accept-new'");
        }
        return accepted;
    }

    @Override
    public boolean acceptModifiedServerKey(
            ClientSession session,
            SocketAddress remoteAddress,
            KnownHostEntry entry,
            PublicKey expected,
            PublicKey actual) {
        session.setAttribute(
                REFUSAL,
                "host key of " + describe(actual) + " does not match the key in " + getPath() + " (expected "
                        + KeyUtils.getFingerPrint(expected) + "): possible man-in-the-middle; refused");
        return false;
    }

    @Override
    protected Collection<SshdSocketAddress> resolveHostNetworkIdentities(ClientSession session, SocketAddress remote) {
        return List.of(logicalAddress);
    }

    private String describe(PublicKey key) {
        return HostAndPort.format(logicalAddress.getHostName(), logicalAddress.getPort()) + " ("
                + KeyUtils.getKeyType(key) + " " + KeyUtils.getFingerPrint(key) + ")";
    }
}
