package io.caravan.core.storage;

import java.nio.file.Path;

import io.caravan.core.ssh.HostKeyPolicy;
import io.caravan.core.ssh.Secret;
import io.caravan.core.ssh.SshTarget;

/**
 * An SSH connection defined outside workflows (a pool's host). Holds paths to secrets, never a secret.
 *
 * @param passphraseEnv the environment variable holding the key's passphrase, read when the key is used; or null
 */
public record StoredConnection(
        String name,
        String host,
        int port,
        String user,
        String identityPath,
        String knownHostsPath,
        HostKeyPolicy hostKeyPolicy,
        String passphraseEnv) {

    public StoredConnection(
            String name,
            String host,
            int port,
            String user,
            String identityPath,
            String knownHostsPath,
            HostKeyPolicy hostKeyPolicy) {
        this(name, host, port, user, identityPath, knownHostsPath, hostKeyPolicy, null);
    }

    /** The same, with a key whose passphrase is read from the environment variable {@code passphraseEnv} when used. */
    public StoredConnection withPassphraseEnv(String passphraseEnv) {
        return new StoredConnection(name, host, port, user, identityPath, knownHostsPath, hostKeyPolicy, passphraseEnv);
    }

    /** The transport's target; keys and known_hosts are referred to by path. */
    public SshTarget toTarget() {
        return SshTarget.of(user, host, port)
                .withIdentity(identityPath == null ? null : Path.of(identityPath), Secret.fromEnv(passphraseEnv))
                .withKnownHosts(knownHostsPath == null ? null : Path.of(knownHostsPath), hostKeyPolicy);
    }
}
