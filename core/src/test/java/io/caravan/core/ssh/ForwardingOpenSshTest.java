package io.caravan.core.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.Socket;

import io.caravan.testkit.OpenSshExtension;
import io.caravan.testkit.OpenSshServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Local port forwarding and jump hosts over pooled connections, against real OpenSSH. */
class ForwardingOpenSshTest {
    @RegisterExtension
    static final OpenSshExtension BASTION = OpenSshExtension.defaults();

    @RegisterExtension
    static final OpenSshExtension INNER = OpenSshExtension.defaults();

    @Test
    void aForwardedPortReachesTheRemoteAddress() throws Exception {
        OpenSshServer server = BASTION.server();
        try (SshTransport transport = SshTransport.start(SshSettings.defaults());
                PortForward forward = transport.forward(
                        Targets.of(server), "127.0.0.1", INNER.server().port());
                Socket socket = new Socket(
                        forward.localAddress().getAddress(),
                        forward.localAddress().getPort())) {
            socket.setSoTimeout(5_000);
            assertThat(readLine(socket.getInputStream())).startsWith("SSH-2.0-OpenSSH");
        }
    }

    @Test
    void aTargetBehindAJumpHostIsReachedAndVerifiedByItsOwnName() {
        SshTarget bastion = Targets.of(BASTION.server());
        SshTarget inner = Targets.of(INNER.server()).via(bastion);
        int bastionLogins = BASTION.server().log().acceptedLogins();
        int innerLogins = INNER.server().log().acceptedLogins();
        try (SshTransport transport = SshTransport.start(SshSettings.defaults())) {
            for (int i = 0; i < 20; i++) {
                assertThat(transport.exec(inner, "echo inner-" + i).stdout()).isEqualTo("inner-" + i + "\n");
            }
            assertThat(transport.stats(inner.hostAndPort()).handshakes()).isEqualTo(1);
        }
        assertThat(BASTION.server().log().acceptedLogins() - bastionLogins).isEqualTo(1);
        assertThat(INNER.server().log().acceptedLogins() - innerLogins).isEqualTo(1);
    }

    private static String readLine(InputStream in) throws Exception {
        StringBuilder line = new StringBuilder();
        for (int c; (c = in.read()) != -1 && c != '\n'; ) {
            line.append((char) c);
        }
        return line.toString().strip();
    }
}
