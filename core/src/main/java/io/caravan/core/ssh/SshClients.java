package io.caravan.core.ssh;

import java.util.ArrayList;
import java.util.List;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.UserAuthFactory;
import org.apache.sshd.client.auth.password.UserAuthPasswordFactory;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.core.CoreModuleProperties;

/** The one MINA client of a transport, configured so that its behaviour depends on Caravan's settings only. */
final class SshClients {
    private SshClients() {}

    static SshClient start(SshSettings settings) {
        SshClient client = SshClient.setUpDefaultClient();
        // without TCP_NODELAY every exec waits out a 40 ms delayed ACK (measured: 4 ms vs 49 ms per exec)
        CoreModuleProperties.TCP_NODELAY.set(client, true);
        CoreModuleProperties.SOCKET_KEEPALIVE.set(client, true);
        CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, settings.keepaliveInterval());
        CoreModuleProperties.HEARTBEAT_REQUEST.set(client, "keepalive@openssh.com");
        CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(client, settings.keepaliveMaxMissed());
        CoreModuleProperties.AUTH_TIMEOUT.set(client, settings.connectTimeout());
        // our pool closes idle connections; MINA's own idle timer would race it
        CoreModuleProperties.IDLE_TIMEOUT.set(client, settings.idleTimeout().multipliedBy(2));
        // no ~/.ssh/config, no default keys, no prompts: a target says everything
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.setUserInteraction(null);
        List<UserAuthFactory> auth = new ArrayList<>();
        auth.add(UserAuthPublicKeyFactory.INSTANCE);
        auth.add(UserAuthPasswordFactory.INSTANCE);
        client.setUserAuthFactories(auth);
        client.setServerKeyVerifier(HandshakeAttempt::verifyHostKey);
        client.setIoServiceEventListener(HandshakeAttempt.CONNECTIONS);
        client.start();
        return client;
    }
}
