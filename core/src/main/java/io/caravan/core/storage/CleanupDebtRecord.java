package io.caravan.core.storage;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A cleanup debt or a removal under way, the row; callers read a {@link CleanupDebt}. */
@Entity
@Table(name = "cleanup_debts")
class CleanupDebtRecord {
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

    protected CleanupDebtRecord() {}

    CleanupDebtRecord(OwedDirectory dir, String runId, String holder, String reason, Instant next, Instant now) {
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

    /** The removal that follows a recorded outcome, held by the engine that recorded it. */
    static CleanupDebtRecord underWay(OwedDirectory dir, String runId, String holder, Instant now) {
        return new CleanupDebtRecord(
                dir,
                runId,
                holder,
                "outcome recorded; removal under way by " + holder,
                now.plus(CleanupDebt.GRACE),
                now);
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

    CleanupDebt view() {
        return new CleanupDebt(id, directory(), runId, holder, reason, attempts, nextAttemptAt, createdAt);
    }

    String host() {
        return host;
    }

    int port() {
        return port;
    }

    String user() {
        return user;
    }

    String baseDir() {
        return baseDir;
    }

    String jobId() {
        return jobId;
    }

    String reason() {
        return reason;
    }

    Instant nextAttemptAt() {
        return nextAttemptAt;
    }

    OwedDirectory directory() {
        return new OwedDirectory(
                host, port, user, identityPath, knownHostsPath, hostKeyPolicy, baseDir, jobId, passphraseEnv);
    }

    void failedAgain(String why, Instant next) {
        holder = null;
        attempts++;
        reason = why;
        nextAttemptAt = next;
    }
}
