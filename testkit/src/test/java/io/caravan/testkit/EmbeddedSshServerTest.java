package io.caravan.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.keyverifier.AcceptAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's and the sandbox's host runs commands as this user, so it must trust nothing but its own fresh
 * key: proven with OpenSSH's own client, as an attacker on the same machine would try.
 */
class EmbeddedSshServerTest {
    private static EmbeddedSshServer server;

    @BeforeAll
    static void start() throws IOException {
        server = EmbeddedSshServer.start();
    }

    @AfterAll
    static void stop() throws IOException {
        server.close();
    }

    @Test
    void itsOwnKeyLogsInAndIsPrivateToThisUser() throws Exception {
        Result r = ssh(server.clientKey(), List.of(), "echo in");
        assertThat(r.out()).isEqualTo("in\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(server.clientKey())))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(
                        Files.getPosixFilePermissions(server.clientKey().getParent())))
                .isEqualTo("rwx------");
    }

    @Test
    void passwordAndKeyboardInteractiveAreNotOffered() throws Exception {
        Result r = ssh(
                null,
                List.of(
                        "-o",
                        "PreferredAuthentications=password,keyboard-interactive",
                        "-o",
                        "PubkeyAuthentication=no"),
                "echo in");
        assertThat(r.exit()).isEqualTo(255);
        assertThat(r.out()).isEmpty();
        // the server lists the methods it would accept: public keys alone
        assertThat(r.err()).contains("Permission denied (publickey)");
    }

    @Test
    void evenTheTestPasswordLogsNoOneIn() throws Exception {
        assertThatThrownBy(() -> passwordLogin(server))
                .hasMessageContaining("No more authentication methods available");
        try (EmbeddedSshServer withPassword = EmbeddedSshServer.startWithTestPassword()) {
            passwordLogin(
                    withPassword); // the same client gets in where a password is allowed: the refusal above is the
            // server's
        }
    }

    private static void passwordLogin(EmbeddedSshServer host) throws IOException {
        try (SshClient client = SshClient.setUpDefaultClient()) {
            client.setServerKeyVerifier(AcceptAllServerKeyVerifier.INSTANCE);
            client.start();
            try (ClientSession session = client.connect(host.user(), host.host(), host.port())
                    .verify(Duration.ofSeconds(10))
                    .getSession()) {
                session.addPasswordIdentity(EmbeddedSshServer.PASSWORD);
                session.auth().verify(Duration.ofSeconds(10));
                assertThat(session.isAuthenticated()).isTrue();
            }
        }
    }

    @Test
    void aForeignKeyIsRefused(@TempDir Path dir) throws Exception {
        Path foreign = dir.resolve("foreign_ed25519");
        Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", foreign.toString())
                .redirectErrorStream(true)
                .start();
        assertThat(keygen.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(keygen.exitValue()).isZero();

        Result r = ssh(foreign, List.of(), "echo in");
        assertThat(r.exit()).isEqualTo(255);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("Permission denied (publickey)");
    }

    @Test
    void tcpForwardingEitherWayIsRefused() throws Exception {
        Result local = ssh(server.clientKey(), List.of("-W", "127.0.0.1:" + server.port()), null);
        assertThat(local.exit()).isEqualTo(255);
        assertThat(local.err()).contains("administratively prohibited");

        Result remote = ssh(
                server.clientKey(),
                List.of("-o", "ExitOnForwardFailure=yes", "-R", "127.0.0.1:0:127.0.0.1:9"),
                "echo forwarded");
        assertThat(remote.exit()).isEqualTo(255);
        assertThat(remote.out()).doesNotContain("forwarded");
        assertThat(remote.err()).containsIgnoringCase("remote port forwarding failed");
    }

    @Test
    void neitherAnAgentNorX11IsForwarded() throws Exception {
        Result agent =
                ssh(server.clientKey(), List.of("-A", "-o", "ForwardAgent=yes"), "echo \"[${SSH_AUTH_SOCK:-}]\"");
        assertThat(agent.out()).isEqualTo("[]\n");

        Result x11 = ssh(
                server.clientKey(),
                List.of("-o", "ForwardX11=yes", "-o", "ForwardX11Trusted=yes"),
                "echo \"[${DISPLAY:-}]\"",
                "DISPLAY",
                "127.0.0.1:0");
        assertThat(x11.out()).isEqualTo("[]\n");
        assertThat(x11.err()).contains("X11 forwarding request failed");
    }

    @Test
    void itListensOnLoopbackOnly() throws Exception {
        assertThat(server.host()).isEqualTo("127.0.0.1");
        Optional<InetAddress> other = nonLoopbackAddress();
        if (other.isPresent()) {
            try (Socket s = new Socket()) {
                assertThatThrownBy(() -> s.connect(new InetSocketAddress(other.get(), server.port()), 2000))
                        .isInstanceOf(ConnectException.class);
            }
        } else {
            // a machine with loopback alone: what the server bound to is all there is to check
            assertThat(server.boundAddresses()).allMatch(a -> a.getAddress().isLoopbackAddress());
        }
        assertThat(server.boundAddresses())
                .isNotEmpty()
                .allMatch(a -> a.getAddress().isLoopbackAddress());
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws IOException {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress()) {
                    return Optional.of(a);
                }
            }
        }
        return Optional.empty();
    }

    record Result(String out, String err, int exit) {}

    private static Result ssh(Path key, List<String> options, String command, String... env) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                "ssh",
                "-F",
                "/dev/null",
                "-p",
                String.valueOf(server.port()),
                "-o",
                "UserKnownHostsFile=" + server.knownHosts(),
                "-o",
                "StrictHostKeyChecking=yes",
                "-o",
                "IdentitiesOnly=yes",
                "-o",
                "ControlMaster=no",
                "-o",
                "ConnectTimeout=10",
                "-o",
                "NumberOfPasswordPrompts=1"));
        if (key != null) {
            cmd.addAll(List.of("-i", key.toString(), "-o", "BatchMode=yes"));
        } else {
            cmd.addAll(List.of("-o", "IdentityFile=/dev/null", "-o", "BatchMode=yes"));
        }
        cmd.addAll(options);
        cmd.add(server.user() + "@" + server.host());
        if (command != null) {
            cmd.add(command);
        }
        ProcessBuilder builder =
                new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        for (int i = 0; i + 1 < env.length; i += 2) {
            builder.environment().put(env[i], env[i + 1]);
        }
        Process p = builder.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(out, err, p.exitValue());
    }
}
