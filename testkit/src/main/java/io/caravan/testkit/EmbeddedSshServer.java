package io.caravan.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.auth.password.UserAuthPasswordFactory;
import org.apache.sshd.server.auth.pubkey.KeySetPublickeyAuthenticator;
import org.apache.sshd.server.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.forward.RejectAllForwardingFilter;
import org.apache.sshd.server.shell.ProcessShellFactory;
import org.apache.sshd.sftp.server.SftpSubsystem;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

/**
 * An in-process Apache MINA SSHD server on a free port of 127.0.0.1: commands run as local processes
 * through /bin/sh. For fast unit tests, {@code caravan demo} and {@code caravan run --sandbox}; OpenSSH's own
 * limits are only in {@link OpenSshServer}.
 *
 * <p>It runs commands as the user of this JVM, so it is locked down like a host that trusts one key: it
 * listens on loopback only, accepts public-key logins with the key it generated at start (written 0600 in a
 * 0700 directory of its own) and no other, has no password or keyboard-interactive login, refuses every
 * forwarding (TCP either way, agent, X11) and offers one subsystem, SFTP, for a job's staged files
 * ({@code stage_in:}/{@code stage_out:}), whose relative paths start in the same home as its commands.
 * {@link #startWithTestPassword()} adds a password login for the tests of password authentication only.
 */
public final class EmbeddedSshServer implements SshTestHost, AutoCloseable {
    /** The password {@link #startWithTestPassword()} accepts; {@link #start()} accepts no password at all. */
    public static final String PASSWORD = "caravan-test-password";

    private final SshServer server;
    private final Path dir;
    private final AtomicInteger logins = new AtomicInteger();

    private EmbeddedSshServer(SshServer server, Path dir) {
        this.server = server;
        this.dir = dir;
    }

    /** The locked-down host: its own fresh key only, loopback only, no password, no forwarding. */
    public static EmbeddedSshServer start() throws IOException {
        return start(false);
    }

    /** As {@link #start()}, and also accepting {@link #PASSWORD}: for tests of password logins, never the demo. */
    public static EmbeddedSshServer startWithTestPassword() throws IOException {
        return start(true);
    }

    private static EmbeddedSshServer start(boolean testPassword) throws IOException {
        Path dir = Files.createTempDirectory(
                "caravan-embedded-ssh-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            KeyPair hostKey = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
            KeyPair clientKey = KeyUtils.generateKeyPair(KeyPairProvider.SSH_ED25519, 256);
            writePrivateKey(clientKey, dir.resolve("client_ed25519"));
            SshServer server = SshServer.setUpDefaultServer();
            server.setHost(OpenSshServer.HOST);
            server.setPort(0);
            CoreModuleProperties.TCP_NODELAY.set(server, true);
            server.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
            server.setPublickeyAuthenticator(
                    new KeySetPublickeyAuthenticator("caravan", List.of(clientKey.getPublic())));
            server.setUserAuthFactories(
                    testPassword
                            ? List.of(UserAuthPublicKeyFactory.INSTANCE, UserAuthPasswordFactory.INSTANCE)
                            : List.of(UserAuthPublicKeyFactory.INSTANCE));
            server.setPasswordAuthenticator(
                    testPassword ? (user, password, session) -> PASSWORD.equals(password) : null);
            server.setKeyboardInteractiveAuthenticator(null);
            server.setGSSAuthenticator(null);
            server.setHostBasedAuthenticator(null);
            // through /bin/sh -c, as sshd runs commands: pipes, ';' and $(...) must work; in a home directory of the
            // host's own, as sshd starts them in the user's home, so relative paths (a job base) stay in the temp dir
            Path home = Files.createDirectories(dir.resolve("home"));
            String cd = "cd '" + home.toString().replace("'", "'\\''") + "' || exit 1\n";
            server.setCommandFactory((channel, command) ->
                    new ProcessShellFactory(command, "/bin/sh", "-c", cd + command).createShell(channel));
            // SFTP for staged files (stage_in/stage_out), its relative paths in the same home as the commands'
            server.setSubsystemFactories(List.of(new SftpSubsystemFactory() {
                @Override
                public Command createSubsystem(ChannelSession channel) {
                    return new SftpSubsystem(channel, this) {
                        @Override
                        public void setFileSystem(FileSystem fileSystem) {
                            super.setFileSystem(fileSystem);
                            defaultDir = home; // the JVM's working directory otherwise
                        }
                    };
                }
            }));
            server.setForwardingFilter(RejectAllForwardingFilter.INSTANCE);
            server.setAgentFactory(null);
            EmbeddedSshServer embedded = new EmbeddedSshServer(server, dir);
            server.addSessionListener(embedded.loginCounter());
            server.start();
            Files.writeString(
                    embedded.knownHosts(),
                    "[" + OpenSshServer.HOST + "]:" + server.getPort() + " "
                            + PublicKeyEntry.toString(hostKey.getPublic()) + "\n");
            return embedded;
        } catch (GeneralSecurityException e) {
            Files2.deleteTree(dir);
            throw new IOException("cannot generate keys for the embedded SSH server", e);
        }
    }

    private SessionListener loginCounter() {
        return new SessionListener() {
            @Override
            public void sessionEvent(Session session, Event event) {
                if (event == Event.Authenticated) {
                    logins.incrementAndGet();
                }
            }
        };
    }

    /** Sessions that completed authentication. */
    public int acceptedLogins() {
        return logins.get();
    }

    @Override
    public String host() {
        return OpenSshServer.HOST;
    }

    @Override
    public int port() {
        return server.getPort();
    }

    /** Where it listens: 127.0.0.1 alone. */
    public Set<InetSocketAddress> boundAddresses() {
        Set<InetSocketAddress> bound = new HashSet<>();
        server.getBoundAddresses().forEach(a -> bound.add((InetSocketAddress) a));
        return bound;
    }

    @Override
    public String user() {
        return System.getProperty("user.name");
    }

    /** Where commands start (their home on this host): a scratch directory, removed by {@link #close()}. */
    public Path home() {
        return dir.resolve("home");
    }

    @Override
    public Path clientKey() {
        return dir.resolve("client_ed25519");
    }

    @Override
    public Path knownHosts() {
        return dir.resolve("known_hosts");
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
        Files2.deleteTree(dir);
    }

    private static void writePrivateKey(KeyPair key, Path file) throws IOException, GeneralSecurityException {
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (OutputStream out = Files.newOutputStream(file)) {
            OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(key, "caravan-embedded", null, out);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
