package io.caravan.core.storage;

import java.time.Instant;

import io.caravan.core.ssh.HostKeyPolicy;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** An SSH connection defined outside workflows, the row; callers read a {@link StoredConnection}. */
@Entity
@Table(name = "connections")
class ConnectionRecord {
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

    protected ConnectionRecord() {}

    ConnectionRecord(StoredConnection c, Instant createdAt) {
        this.name = c.name();
        this.host = c.host();
        this.port = c.port();
        this.user = c.user();
        this.identityPath = c.identityPath();
        this.knownHostsPath = c.knownHostsPath();
        this.hostKeyPolicy = c.hostKeyPolicy().configName();
        this.passphraseEnv = c.passphraseEnv();
        this.createdAt = createdAt;
    }

    StoredConnection view() {
        return new StoredConnection(
                name,
                host,
                port,
                user,
                identityPath,
                knownHostsPath,
                HostKeyPolicy.parse(hostKeyPolicy),
                passphraseEnv);
    }
}
