package io.caravan.core.ssh;

import io.caravan.testkit.SshTestHost;

/** Test targets for the rig's hosts. */
final class Targets {
    private Targets() {}

    static SshTarget of(SshTestHost host) {
        return SshTarget.of(host.user(), host.host(), host.port())
                .withIdentity(host.clientKey(), null)
                .withKnownHosts(host.knownHosts(), HostKeyPolicy.STRICT);
    }
}
