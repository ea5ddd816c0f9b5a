package io.caravan.app.sandbox;

import java.util.Map;

import io.caravan.core.ssh.HostKeyPolicy;
import io.caravan.routes.sshx.SshxComponent;
import io.caravan.routes.sshx.SshxConfiguration;
import io.caravan.routes.sshx.SshxEndpoint;
import io.caravan.testkit.EmbeddedSshServer;
import org.apache.camel.Endpoint;

/** {@code sshx:} under {@code --sandbox}: the URI's options stand, but host, user and credentials are the sandbox host's. */
final class SandboxSshxComponent extends SshxComponent {
    private final EmbeddedSshServer host;

    SandboxSshxComponent(EmbeddedSshServer host) {
        this.host = host;
    }

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        SshxEndpoint endpoint = (SshxEndpoint) super.createEndpoint(uri, remaining, parameters);
        SshxConfiguration c = endpoint.getConfiguration();
        c.setHost(host.host());
        c.setPort(host.port());
        c.setUsername(host.user());
        c.setPassword(null);
        c.setCertResource("file:" + host.clientKey());
        c.setCertResourcePassword(null);
        c.setKnownHostsResource("file:" + host.knownHosts());
        c.setHostKeyPolicy(HostKeyPolicy.STRICT.configName());
        c.setProxyJump(null);
        return endpoint;
    }
}
