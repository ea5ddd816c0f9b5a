package io.caravan.routes.sshx;

import java.nio.file.Path;

import io.caravan.core.ssh.HostAndPort;
import io.caravan.core.ssh.HostKeyPolicy;
import io.caravan.core.ssh.Secret;
import io.caravan.core.ssh.SshTarget;
import org.apache.camel.component.ssh.SshConfiguration;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * camel-ssh's configuration model (same option names, same URI form) plus what pooling adds.
 * Differences a camel-ssh user should know: {@code timeout} bounds the command itself, not only the
 * connect; host keys are checked against {@code knownHostsResource} (default {@code ~/.ssh/known_hosts})
 * unless {@code hostKeyPolicy} says otherwise.
 */
@UriParams
public class SshxConfiguration extends SshConfiguration {
    @UriParam(
            label = "security",
            defaultValue = "strict",
            enums = "strict,accept-new,insecure",
            description = "How the server's host key is checked against known_hosts")
    private String hostKeyPolicy = HostKeyPolicy.STRICT.configName();

    @UriParam(
            defaultValue = "false",
            description = "The command may run again if its connection dies mid-way (otherwise only commands that"
                    + " never reached the server are retried)")
    private boolean idempotent;

    @UriParam(
            label = "advanced",
            description = "Jump host as user@host[:port], reached with the same key and known_hosts")
    private String proxyJump;

    @UriParam(
            label = "security",
            description = "Environment variable holding certResource's passphrase, read when the"
                    + " key is used: the URI (stored with the workflow) then holds its name, not the passphrase")
    private String certResourcePasswordEnv;

    @Override
    public SshxConfiguration copy() {
        return (SshxConfiguration) super.copy();
    }

    /** The transport's target; fails naming the option when the configuration cannot describe one. */
    public SshTarget toTarget(String userOverride) {
        if (getKeyPairProvider() != null) {
            throw new IllegalArgumentException(
                    "sshx: keyPairProvider is not supported: give certResource (a key file)");
        }
        String user = userOverride != null ? userOverride : getUsername();
        if (user == null || user.isBlank()) {
            throw new IllegalArgumentException("sshx: no user: write sshx:user@host[:port]");
        }
        SshTarget target = new SshTarget(
                user,
                getHost(),
                getPort(),
                path("certResource", getCertResource()),
                certResourcePasswordEnv != null
                        ? Secret.fromEnv(certResourcePasswordEnv)
                        : Secret.of(getCertResourcePassword()),
                Secret.of(getPassword()),
                knownHostsFile(),
                HostKeyPolicy.parse(hostKeyPolicy),
                null);
        return proxyJump == null ? target : target.via(jumpTarget(target));
    }

    private SshTarget jumpTarget(SshTarget inner) {
        int at = proxyJump.indexOf('@');
        HostAndPort jump = HostAndPort.parse(proxyJump.substring(at + 1), SshTarget.DEFAULT_PORT);
        String user = at < 0 ? inner.user() : proxyJump.substring(0, at);
        return new SshTarget(
                user,
                jump.host(),
                jump.port(),
                inner.identity(),
                inner.passphrase(),
                null,
                inner.knownHosts(),
                inner.hostKeyPolicy(),
                null);
    }

    private Path knownHostsFile() {
        Path given = path("knownHostsResource", getKnownHostsResource());
        return given != null ? given : Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
    }

    /** Accepts a plain path or a {@code file:} resource; keys are files, so classpath: or http: are refused. */
    static Path path(String option, String resource) {
        if (resource == null || resource.isBlank()) {
            return null;
        }
        if (resource.startsWith("file:")) {
            return Path.of(resource.substring("file:".length()));
        }
        if (resource.matches("^[a-zA-Z][a-zA-Z0-9+.-]+:.*")) {
            throw new IllegalArgumentException(
                    "sshx: " + option + " must be a file (file:/path or /path), got '" + resource + "'");
        }
        return Path.of(resource);
    }

    public String getHostKeyPolicy() {
        return hostKeyPolicy;
    }

    public void setHostKeyPolicy(String hostKeyPolicy) {
        HostKeyPolicy.parse(hostKeyPolicy);
        this.hostKeyPolicy = hostKeyPolicy;
    }

    public boolean isIdempotent() {
        return idempotent;
    }

    public void setIdempotent(boolean idempotent) {
        this.idempotent = idempotent;
    }

    public String getCertResourcePasswordEnv() {
        return certResourcePasswordEnv;
    }

    public void setCertResourcePasswordEnv(String certResourcePasswordEnv) {
        this.certResourcePasswordEnv = certResourcePasswordEnv;
    }

    public String getProxyJump() {
        return proxyJump;
    }

    public void setProxyJump(String proxyJump) {
        this.proxyJump = proxyJump;
    }
}
