package io.caravan.core.storage;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * A job directory whose removal failed every in-process retry, retried later until it is gone; or, while it
 * has a {@code holder}, one whose job's outcome is recorded and whose removal that engine is doing now: a
 * debt only if the holder dies (or its grace runs out) first.
 */
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
    @Column(name = "identity_passphrase_env")
    private String passphraseEnv;
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
    @Column(name = "run_id")
    private String runId;
    @Column
    private String holder;

    protected CleanupDebtRecord() {
    }

    public CleanupDebtRecord(OwedDirectory dir, String runId, String holder, String reason, Instant next, Instant now) {
        this.host = dir.host();
        this.port = dir.port();
        this.user = dir.user();
        this.identityPath = dir.identityPath();
        this.passphraseEnv = dir.passphraseEnv();
        this.knownHostsPath = dir.knownHostsPath();
        this.hostKeyPolicy = dir.hostKeyPolicy();
        this.baseDir = dir.baseDir();
        this.jobId = dir.jobId();
        this.runId = runId;
        this.holder = holder;
        this.reason = reason;
        this.attempts = 0;
        this.nextAttemptAt = next;
        this.createdAt = now;
    }

    /** How long a holder has to confirm a removal before any engine may retry it as a debt. */
    public static final java.time.Duration GRACE = java.time.Duration.ofMinutes(10);

    /** The removal that follows a recorded outcome, held by the engine that recorded it. */
    static CleanupDebtRecord underWay(OwedDirectory dir, String runId, String holder, Instant now) {
        return new CleanupDebtRecord(dir, runId, holder, "outcome recorded; removal under way by " + holder, now.plus(GRACE), now);
    }

    /** Takes the holder, run, reason and due time of {@code other}, a record for the same directory. */
    void becomes(CleanupDebtRecord other) {
        holder = other.holder;
        runId = other.runId;
        reason = other.reason;
        nextAttemptAt = other.nextAttemptAt;
    }

    /** A debt to retry now: its holder is gone. */
    void released(Instant now) {
        reason = "engine " + holder + " stopped before removing it";
        holder = null;
        nextAttemptAt = now;
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

    /** The environment variable holding the key's passphrase, or null. */
    public String passphraseEnv() {
        return passphraseEnv;
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

    public OwedDirectory directory() {
        return new OwedDirectory(host, port, user, identityPath, knownHostsPath, hostKeyPolicy, baseDir, jobId, passphraseEnv);
    }

    /** The run whose job left the directory, when known. */
    public String runId() {
        return runId;
    }

    /** The engine removing the directory now, or null for a debt. */
    public String holder() {
        return holder;
    }

    void failedAgain(String why, Instant next) {
        holder = null;
        attempts++;
        reason = why;
        nextAttemptAt = next;
    }
}
