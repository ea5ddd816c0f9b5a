package io.caravan.core.workflow;

import java.nio.file.Path;
import java.util.Map;

import io.caravan.core.ssh.HostKeyPolicy;
import io.caravan.core.ssh.SshTarget;

/**
 * A named SSH connection of a workflow.
 *
 * @param identity   private key file, or null
 * @param knownHosts known_hosts file; the user's own when not given
 * @param jump       name of another connection to tunnel through, or null
 */
public record ConnectionDefinition(String name, String host, int port, String user, Path identity, Path knownHosts,
                                   HostKeyPolicy hostKeyPolicy, String jump) {

    public SshTarget toTarget(Map<String, ConnectionDefinition> all) {
        SshTarget target = SshTarget.of(user, host, port).withIdentity(identity, null);
        if (knownHosts != null || hostKeyPolicy != HostKeyPolicy.STRICT) {
            target = target.withKnownHosts(knownHosts != null ? knownHosts : target.knownHosts(), hostKeyPolicy);
        }
        return jump == null ? target : target.via(all.get(jump).toTarget(all));
    }
}
