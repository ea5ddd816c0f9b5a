package io.caravan.core.ssh;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Where and as whom to connect. Connections are pooled per target (user, host, port, identity, jump),
 * so two targets that differ only in a secret still share nothing by accident.
 *
 * @param identity   private key file, or null for password-only login
 * @param passphrase for an encrypted key, or null
 * @param password   for password login, or null
 * @param knownHosts OpenSSH known_hosts file (hashed entries are understood)
 * @param jump       bastion to tunnel through (ProxyJump), or null
 */
public record SshTarget(
        String user,
        String host,
        int port,
        Path identity,
        Secret passphrase,
        Secret password,
        Path knownHosts,
        HostKeyPolicy hostKeyPolicy,
        SshTarget jump) {

    public static final int DEFAULT_PORT = 22;

    public SshTarget {
        requireText(user, "user");
        requireText(host, "host");
        if (port < 1 || port > 65_535) {
            throw new IllegalArgumentException("port must be 1..65535, got " + port);
        }
        Objects.requireNonNull(hostKeyPolicy, "hostKeyPolicy");
        if (knownHosts == null && hostKeyPolicy != HostKeyPolicy.INSECURE) {
            throw new IllegalArgumentException("known_hosts file required for " + user + "@"
                    + HostAndPort.format(host, port) + " with host key policy " + hostKeyPolicy.configName());
        }
    }

    /** A target with the user's default known_hosts and strict host key checking. */
    public static SshTarget of(String user, String host, int port) {
        return new SshTarget(
                user,
                host,
                port,
                null,
                null,
                null,
                Path.of(System.getProperty("user.home"), ".ssh", "known_hosts"),
                HostKeyPolicy.STRICT,
                null);
    }

    public SshTarget withIdentity(Path key, Secret keyPassphrase) {
        return new SshTarget(user, host, port, key, keyPassphrase, password, knownHosts, hostKeyPolicy, jump);
    }

    public SshTarget withPassword(Secret loginPassword) {
        return new SshTarget(user, host, port, identity, passphrase, loginPassword, knownHosts, hostKeyPolicy, jump);
    }

    public SshTarget withKnownHosts(Path file, HostKeyPolicy policy) {
        return new SshTarget(user, host, port, identity, passphrase, password, file, policy, jump);
    }

    public SshTarget via(SshTarget bastion) {
        return new SshTarget(user, host, port, identity, passphrase, password, knownHosts, hostKeyPolicy, bastion);
    }

    /** The sshd instance: what the handshake gate and the per-host figures are keyed by. */
    public String hostAndPort() {
        return HostAndPort.format(host, port);
    }

    @Override
    public String toString() {
        return user + "@" + hostAndPort() + (jump == null ? "" : " via " + jump);
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
    }
}
