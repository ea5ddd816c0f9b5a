package io.caravan.routes.sshx;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import io.caravan.core.ssh.HostKeyPolicy;
import io.caravan.core.ssh.SshTarget;
import org.apache.camel.CamelContext;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** camel-ssh's URI form and options map onto a transport target. */
class SshxEndpointConfigurationTest {
    private CamelContext camel;

    @BeforeEach
    void start() {
        camel = new DefaultCamelContext();
        camel.start();
    }

    @AfterEach
    void stop() throws Exception {
        camel.close();
    }

    @Test
    void camelSshOptionsAreUnderstood() {
        SshxEndpoint endpoint = camel.getEndpoint(
                "sshx:batch@10.1.2.3:2222?certResource=file:/keys/id&"
                        + "certResourcePassword=RAW(s3cret)&knownHostsResource=file:/kh&timeout=5000&hostKeyPolicy=accept-new",
                SshxEndpoint.class);
        SshTarget target = endpoint.target(null);

        assertThat(target.user()).isEqualTo("batch");
        assertThat(target.host()).isEqualTo("10.1.2.3");
        assertThat(target.port()).isEqualTo(2222);
        assertThat(target.identity()).isEqualTo(Path.of("/keys/id"));
        assertThat(target.passphrase().reveal()).isEqualTo("s3cret");
        assertThat(target.knownHosts()).isEqualTo(Path.of("/kh"));
        assertThat(target.hostKeyPolicy()).isEqualTo(HostKeyPolicy.ACCEPT_NEW);
        assertThat(endpoint.getConfiguration().getTimeout()).isEqualTo(5000);
        assertThat(target.toString()).doesNotContain("s3cret");
    }

    @Test
    void hostKeysAreCheckedStrictlyAgainstTheUsersKnownHostsByDefault() {
        SshTarget target = camel.getEndpoint("sshx:u@h", SshxEndpoint.class).target(null);

        assertThat(target.port()).isEqualTo(22);
        assertThat(target.hostKeyPolicy()).isEqualTo(HostKeyPolicy.STRICT);
        assertThat(target.knownHosts()).isEqualTo(Path.of(System.getProperty("user.home"), ".ssh", "known_hosts"));
    }

    @Test
    void aJumpHostIsParsed() {
        SshTarget target = camel.getEndpoint("sshx:u@inner:23?proxyJump=gw@bastion:2200", SshxEndpoint.class)
                .target(null);

        assertThat(target.jump().toString()).isEqualTo("gw@bastion:2200");
        assertThat(target.toString()).isEqualTo("u@inner:23 via gw@bastion:2200");
    }

    @Test
    void anIpv6JumpHostGoesInBracketsAndAMissingPortIsSsh() {
        SshTarget v6 = camel.getEndpoint("sshx:u@inner?proxyJump=gw@[fd00::7]:2200", SshxEndpoint.class)
                .target(null);
        SshTarget plain = camel.getEndpoint("sshx:u@inner?proxyJump=bastion", SshxEndpoint.class)
                .target(null);

        assertThat(v6.jump().host()).isEqualTo("fd00::7");
        assertThat(v6.jump().toString()).isEqualTo("gw@[fd00::7]:2200");
        assertThat(plain.jump().toString()).isEqualTo("u@bastion:22");
    }

    @Test
    void badOptionsFailNamingTheOption() {
        assertThatThrownBy(() -> camel.getEndpoint("sshx:u@h?hostKeyPolicy=yolo"))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .hasStackTraceContaining("unknown host key policy 'yolo'");
        assertThatThrownBy(() -> camel.getEndpoint("sshx:u@h?certResource=classpath:id"))
                .hasStackTraceContaining("certResource must be a file");
        assertThatThrownBy(() -> camel.getEndpoint("sshx:u@h?noSuchOption=1"))
                .isInstanceOf(ResolveEndpointFailedException.class)
                .hasMessageContaining("noSuchOption");
    }
}
