package io.caravan.app.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.EnumSet;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * The baseline: a new SSH connection for every command, as tools without pooling (and camel-ssh) do.
 * Same MINA stack and TCP_NODELAY as the transport, so the difference is the connection alone.
 */
final class FreshConnectionExec implements AutoCloseable {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final SshClient client = SshClient.setUpDefaultClient();
    private final KeyPair key;
    private final String user;
    private final String host;
    private final int port;

    FreshConnectionExec(String user, String host, int port, Path keyFile, Path knownHosts)
            throws IOException, GeneralSecurityException {
        this.user = user;
        this.host = host;
        this.port = port;
        try (var in = Files.newInputStream(keyFile)) {
            this.key = SecurityUtils.loadKeyPairIdentities(
                            null, NamedResource.ofName(keyFile.toString()), in, FilePasswordProvider.EMPTY)
                    .iterator()
                    .next();
        }
        CoreModuleProperties.TCP_NODELAY.set(client, true);
        client.setServerKeyVerifier(new KnownHostsServerKeyVerifier(RejectAllServerKeyVerifier.INSTANCE, knownHosts));
        client.start();
    }

    boolean exec(String command) {
        try (ClientSession session =
                client.connect(user, host, port).verify(TIMEOUT).getSession()) {
            session.addPublicKeyIdentity(key);
            session.auth().verify(TIMEOUT);
            try (ChannelExec channel = session.createExecChannel(command)) {
                channel.setOut(new ByteArrayOutputStream());
                channel.setErr(new ByteArrayOutputStream());
                channel.open().verify(TIMEOUT);
                channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), TIMEOUT);
                Integer status = channel.getExitStatus();
                return status != null && status == 0;
            }
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        client.stop();
    }
}
