package io.caravan.core.storage;

import java.time.Instant;

import io.caravan.core.ssh.HostKeyPolicy;
import io.caravan.core.ssh.SshTarget;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An SSH connection defined outside workflows (a pool's host). Holds paths to secrets, never a secret. */
@Entity
@Table(name = "connections")
public class ConnectionRecord {
    @Id
    private String name;
    @Column(nullable = false)
    private String host;
    @Column(nullable = false)
    private int port;
    @Column(name = "user_name", nullable = false)
    private String user;
    @Column(name = "identity_path")
    private String identityPath;
    @Column(name = "identity_passphrase_env")
    private String passphraseEnv;
    @Column(name = "known_hosts_path")
    private String knownHostsPath;
    @Column(name = "host_key_policy", nullable = false)
    private String hostKeyPolicy;
    @Column
    private String jump;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected ConnectionRecord() {
    }

    public ConnectionRecord(String name, String host, int port, String user, String identityPath, String knownHostsPath,
                            HostKeyPolicy hostKeyPolicy, Instant createdAt) {
        this.name = name;
        this.host = host;
        this.port = port;
        this.user = user;
        this.identityPath = identityPath;
        this.knownHostsPath = knownHostsPath;
        this.hostKeyPolicy = hostKeyPolicy.configName();
        this.createdAt = createdAt;
    }

    /** The same, with a key whose passphrase is read from the environment variable {@code passphraseEnv} when used. */
    public ConnectionRecord withPassphraseEnv(String passphraseEnv) {
        this.passphraseEnv = passphraseEnv;
        return this;
    }

    public String passphraseEnv() {
        return passphraseEnv;
    }

    /** The transport's target; keys and known_hosts are referred to by path. */
    public SshTarget toTarget() {
        return SshTarget.of(user, host, port)
                .withIdentity(identityPath == null ? null : java.nio.file.Path.of(identityPath),
                        io.caravan.core.ssh.Secret.fromEnv(passphraseEnv))
                .withKnownHosts(knownHostsPath == null ? null : java.nio.file.Path.of(knownHostsPath), hostKeyPolicy());
    }

    public String name() {
        return name;
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public String user() {
        return user;
    }

    public String identityPath() {
        return identityPath;
    }

    public String knownHostsPath() {
        return knownHostsPath;
    }

    public HostKeyPolicy hostKeyPolicy() {
        return HostKeyPolicy.parse(hostKeyPolicy);
    }
}
