package io.caravan.core.workflow;

import java.nio.file.Path;
import java.util.Map;

import io.caravan.core.ssh.HostKeyPolicy;
import io.caravan.core.ssh.Secret;
import io.caravan.core.ssh.SshTarget;

/**
 * A named SSH connection of a workflow.
 *
 * @param identity   private key file, or null
 * @param knownHosts known_hosts file; the user's own when not given
 * @param jump       name of another connection to tunnel through, or null
 * @param passphraseEnv environment variable holding the identity's passphrase, read when the key is used; or null
 */
public record ConnectionDefinition(
        String name,
        String host,
        int port,
        String user,
        Path identity,
        Path knownHosts,
        HostKeyPolicy hostKeyPolicy,
        String jump,
        String passphraseEnv) {

    /** A connection whose key, if any, has no passphrase. */
    public ConnectionDefinition(
            String name,
            String host,
            int port,
            String user,
            Path identity,
            Path knownHosts,
            HostKeyPolicy hostKeyPolicy,
            String jump) {
        this(name, host, port, user, identity, knownHosts, hostKeyPolicy, jump, null);
    }

    public SshTarget toTarget(Map<String, ConnectionDefinition> all) {
        SshTarget target = SshTarget.of(user, host, port).withIdentity(identity, Secret.fromEnv(passphraseEnv));
        if (knownHosts != null || hostKeyPolicy != HostKeyPolicy.STRICT) {
            target = target.withKnownHosts(knownHosts != null ? knownHosts : target.knownHosts(), hostKeyPolicy);
        }
        return jump == null ? target : target.via(all.get(jump).toTarget(all));
    }
}
