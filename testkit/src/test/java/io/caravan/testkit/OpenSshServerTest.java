package io.caravan.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** The rig proves itself with OpenSSH's own client: what it counts is what happened. */
class OpenSshServerTest {

    @Test
    void theSystemSshClientLogsInWithTheGeneratedKeyAndTheLogCountsIt() throws Exception {
        try (OpenSshServer server = OpenSshServer.builder().start()) {
            assertThat(ssh(server, server.knownHosts(), "echo hi").output()).isEqualTo("hi\n");
            assertThat(ssh(server, server.hashedKnownHosts(), "echo hashed").output())
                    .isEqualTo("hashed\n");
            assertThat(server.log().acceptedLogins()).isEqualTo(2);
            assertThat(server.log().maxStartupsDrops()).isZero();
            assertThat(server.version()).startsWith("OpenSSH_");
        }
    }

    @Test
    void execsDoNotPayForRootsBashrc() throws Exception {
        try (OpenSshServer server = OpenSshServer.builder().start()) {
            // pyenv init in ~/.bashrc would export PYENV_SHELL; SetEnv SHLVL=1 makes bash skip .bashrc
            assertThat(ssh(server, server.knownHosts(), "echo \"[$PYENV_SHELL]\"")
                            .output())
                    .isEqualTo("[]\n");
        }
    }

    @Test
    void tightMaxStartupsDropsSimultaneousHandshakesAndTheLogCountsThem() throws Exception {
        try (OpenSshServer server =
                OpenSshServer.builder().maxStartups("1:100:1").start()) {
            List<Process> clients = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                clients.add(sshProcess(server, server.knownHosts(), "sleep 0.2"));
            }
            for (Process p : clients) {
                assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            }
            assertThat(server.log().maxStartupsDrops()).isPositive();
            assertThat(server.log().acceptedLogins() + server.log().maxStartupsDrops())
                    .isLessThanOrEqualTo(12);
        }
    }

    @Test
    void stopDropsLiveConnectionsAndStartServesTheSamePortAgain() throws Exception {
        try (OpenSshServer server = OpenSshServer.builder().start()) {
            int port = server.port();
            Process longCommand = sshProcess(server, server.knownHosts(), "sleep 30");
            waitForLogins(server, 1);

            server.stop();

            assertThat(longCommand.waitFor(10, TimeUnit.SECONDS))
                    .as("ssh session ended by stop()")
                    .isTrue();
            assertThat(server.running()).isFalse();
            server.start();
            assertThat(server.port()).isEqualTo(port);
            assertThat(ssh(server, server.knownHosts(), "echo back").output()).isEqualTo("back\n");
        }
    }

    @Test
    void aMarkSeparatesPhasesOfTheLog() throws Exception {
        try (OpenSshServer server = OpenSshServer.builder().start()) {
            ssh(server, server.knownHosts(), "true");
            SshdLog later = server.log().since(server.log().mark());
            assertThat(later.acceptedLogins()).isZero();
            ssh(server, server.knownHosts(), "true");
            assertThat(later.acceptedLogins()).isEqualTo(1);
            assertThat(server.log().acceptedLogins()).isEqualTo(2);
        }
    }

    @Test
    void aMissingSshdNamesThePackageToInstall() {
        Path real = OpenSshServer.sshdBinary;
        OpenSshServer.sshdBinary = Path.of("/nonexistent/sshd");
        try {
            assertThatThrownBy(() -> OpenSshServer.builder().build())
                    .hasMessageContaining("apt-get install openssh-server");
        } finally {
            OpenSshServer.sshdBinary = real;
        }
    }

    @Test
    void theEmbeddedServerRunsShellCommandsForTheSystemClient() throws Exception {
        try (EmbeddedSshServer server = EmbeddedSshServer.start()) {
            Result r = ssh(server, server.knownHosts(), "echo a | tr a b; exit 3");
            assertThat(r.output()).isEqualTo("b\n");
            assertThat(r.exitCode()).isEqualTo(3);
            assertThat(server.acceptedLogins()).isEqualTo(1);
        }
    }

    record Result(String output, int exitCode) {}

    private static Result ssh(SshTestHost host, Path knownHosts, String command) throws Exception {
        Process p = sshProcess(host, knownHosts, command);
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Result(out, p.exitValue());
    }

    private static Process sshProcess(SshTestHost host, Path knownHosts, String command) throws IOException {
        return new ProcessBuilder(
                        "ssh",
                        "-i",
                        host.clientKey().toString(),
                        "-p",
                        String.valueOf(host.port()),
                        "-o",
                        "UserKnownHostsFile=" + knownHosts,
                        "-o",
                        "StrictHostKeyChecking=yes",
                        "-o",
                        "BatchMode=yes",
                        "-o",
                        "ControlMaster=no",
                        "-o",
                        "ConnectTimeout=10",
                        host.user() + "@" + host.host(),
                        command)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
    }

    private static void waitForLogins(OpenSshServer server, int logins) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (server.log().acceptedLogins() < logins && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(server.log().acceptedLogins()).isGreaterThanOrEqualTo(logins);
    }
}
