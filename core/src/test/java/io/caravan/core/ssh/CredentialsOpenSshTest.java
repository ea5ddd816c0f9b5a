package io.caravan.core.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import io.caravan.testkit.OpenSshExtension;
import io.caravan.testkit.OpenSshServer;
import io.caravan.testkit.SshdLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Acceptance 6: keys, passphrases and host keys against real OpenSSH. Fatal failures are never retried. */
class CredentialsOpenSshTest {
    @RegisterExtension
    static final OpenSshExtension SSHD = OpenSshExtension.defaults();

    @TempDir
    Path dir;

    private final OpenSshServer server = SSHD.server();

    @Test
    void aWrongKeyFailsAtOnceWithOneAttemptInTheLog() throws Exception {
        SshTarget target = Targets.of(server).withIdentity(server.unauthorizedKey(), null);
        SshdLog log = server.log().since(server.log().mark());
        try (SshTransport transport = SshTransport.start(SshSettings.defaults())) {
            List<Burst.Outcome<ExecResult>> outcomes = Burst.run(10, i -> transport.exec(target, "true"));

            assertThat(outcomes).allSatisfy(o -> {
                assertThat(o.error()).isInstanceOf(SshFailure.class);
                assertThat(((SshFailure) o.error()).kind()).isEqualTo(FailureKind.AUTHENTICATION);
                assertThat(o.error().getMessage())
                        .contains("authentication failed")
                        .contains(target.hostAndPort());
            });
            assertThat(transport.stats(target.hostAndPort()).handshakeFailures())
                    .containsEntry("authentication", 1L);
        }
        log.awaitUntil(l -> l.failedAuthentications() >= 1, Duration.ofSeconds(5));
        assertThat(log.failedAuthentications())
                .as(String.join("\n", log.lines()))
                .isEqualTo(1);
        assertThat(log.acceptedLogins()).isZero();
    }

    @Test
    void anUnknownHostKeyIsRefusedNamingHostAndFingerprint() throws Exception {
        Path empty = Files.createFile(dir.resolve("known_hosts"));
        SshTarget target = Targets.of(server).withKnownHosts(empty, HostKeyPolicy.STRICT);
        try (SshTransport transport = SshTransport.start(SshSettings.defaults())) {
            SshFailure failure = catchThrowableOfType(SshFailure.class, () -> transport.exec(target, "true"));

            assertThat(failure.kind()).isEqualTo(FailureKind.HOST_KEY);
            assertThat(failure.getMessage()).contains(target.hostAndPort()).contains(server.hostKeyFingerprint());
            assertThat(transport.stats(target.hostAndPort()).handshakeFailures())
                    .containsEntry("host_key", 1L);
        }
        assertThat(Files.readString(empty)).isEmpty();
    }

    @Test
    void aChangedHostKeyIsRefusedEvenWithAcceptNew() throws Exception {
        Path wrong = dir.resolve("known_hosts");
        Files.writeString(
                wrong, "[" + server.host() + "]:" + server.port() + " " + server.unauthorizedPublicKey() + "\n");
        SshTarget target = Targets.of(server).withKnownHosts(wrong, HostKeyPolicy.ACCEPT_NEW);
        try (SshTransport transport = SshTransport.start(SshSettings.defaults())) {
            SshFailure failure = catchThrowableOfType(SshFailure.class, () -> transport.exec(target, "true"));

            assertThat(failure.kind()).isEqualTo(FailureKind.HOST_KEY);
            assertThat(failure.getMessage()).contains("does not match").contains(server.hostKeyFingerprint());
        }
    }

    @Test
    void acceptNewRecordsTheKeyAndLaterConnectionsCheckIt() throws Exception {
        Path file = dir.resolve("known_hosts");
        SshTarget target = Targets.of(server).withKnownHosts(file, HostKeyPolicy.ACCEPT_NEW);
        try (SshTransport transport = SshTransport.start(SshSettings.defaults())) {
            assertThat(transport.exec(target, "echo first").stdout()).isEqualTo("first\n");
        }
        assertThat(Files.readString(file)).contains(String.valueOf(server.port()));
        try (SshTransport transport = SshTransport.start(SshSettings.defaults())) {
            SshTarget strict = target.withKnownHosts(file, HostKeyPolicy.STRICT);
            assertThat(transport.exec(strict, "echo second").stdout()).isEqualTo("second\n");
        }
    }

    @Test
    void hashedKnownHostsEntriesAreUnderstood() {
        SshTarget target = Targets.of(server).withKnownHosts(server.hashedKnownHosts(), HostKeyPolicy.STRICT);
        try (SshTransport transport = SshTransport.start(SshSettings.defaults())) {
            assertThat(transport.exec(target, "echo hashed").stdout()).isEqualTo("hashed\n");
        }
    }

    @Test
    void anEncryptedKeyWorksWithItsPassphraseAndFailsClearlyWithoutIt() {
        SshTarget withPassphrase = Targets.of(server)
                .withIdentity(server.clientKeyWithPassphrase(), Secret.of(OpenSshServer.CLIENT_KEY_PASSPHRASE));
        SshTarget without = Targets.of(server).withIdentity(server.clientKeyWithPassphrase(), null);
        try (SshTransport transport = SshTransport.start(SshSettings.defaults())) {
            assertThat(transport.exec(withPassphrase, "echo unlocked").stdout()).isEqualTo("unlocked\n");

            SshFailure failure = catchThrowableOfType(SshFailure.class, () -> transport.exec(without, "true"));
            assertThat(failure.kind()).isEqualTo(FailureKind.IDENTITY);
            assertThat(failure.getMessage())
                    .contains(server.clientKeyWithPassphrase().toString())
                    .doesNotContain(OpenSshServer.CLIENT_KEY_PASSPHRASE);
        }
    }
}
