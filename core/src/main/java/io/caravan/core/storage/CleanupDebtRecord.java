package io.caravan.core.storage;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A job directory whose removal failed every in-process retry; retried later until it is gone. */
@Entity
@Table(name = "cleanup_debts")
public class CleanupDebtRecord {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private long id;
    @Column(nullable = false)
    private String host;
    @Column(nullable = false)
    private int port;
    @Column(name = "user_name", nullable = false)
    private String user;
    @Column(name = "identity_path")
    private String identityPath;
    @Column(name = "known_hosts_path")
    private String knownHostsPath;
    @Column(name = "host_key_policy", nullable = false)
    private String hostKeyPolicy;
    @Column(name = "base_dir", nullable = false)
    private String baseDir;
    @Column(name = "job_id", nullable = false)
    private String jobId;
    @Column
    private String reason;
    @Column(nullable = false)
    private int attempts;
    @Column(name = "next_attempt_at", nullable = false)
    private Instant nextAttemptAt;
    @Column(name = "created_at", nullable = false)
    private Instant createdAt;

    protected CleanupDebtRecord() {
    }

    public CleanupDebtRecord(String host, int port, String user, String identityPath, String knownHostsPath,
                             String hostKeyPolicy, String baseDir, String jobId, String reason, Instant next, Instant now) {
        this.host = host;
        this.port = port;
        this.user = user;
        this.identityPath = identityPath;
        this.knownHostsPath = knownHostsPath;
        this.hostKeyPolicy = hostKeyPolicy;
        this.baseDir = baseDir;
        this.jobId = jobId;
        this.reason = reason;
        this.attempts = 0;
        this.nextAttemptAt = next;
        this.createdAt = now;
    }

    public long id() {
        return id;
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

    public String hostKeyPolicy() {
        return hostKeyPolicy;
    }

    public String baseDir() {
        return baseDir;
    }

    public String jobId() {
        return jobId;
    }

    public String reason() {
        return reason;
    }

    public int attempts() {
        return attempts;
    }

    public Instant nextAttemptAt() {
        return nextAttemptAt;
    }

    public Instant createdAt() {
        return createdAt;
    }

    void failedAgain(String why, Instant next) {
        attempts++;
        reason = why;
        nextAttemptAt = next;
    }
}
