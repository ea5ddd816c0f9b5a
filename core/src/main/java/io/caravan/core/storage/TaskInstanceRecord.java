package io.caravan.core.storage;

import java.time.Instant;

import io.caravan.core.runs.TaskState;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.GenerationType;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/**
 * One instance of a task (one item of a fan-out, or the only one), the row; callers read a {@link TaskInstance}.
 * While RUNNING it carries a lease:
 * the owner and a token that every completion must present, so a late answer from an engine whose
 * lease expired cannot overwrite the work of the engine that took over.
 */
@Entity
@Table(name = "task_instances")
class TaskInstanceRecord {
    @Id
    @GeneratedValue(strategy = GenerationType.IDENTITY)
    private Long id;

    @Column(name = "run_id", nullable = false)
    private String runId;

    @Column(name = "task_id", nullable = false)
    private String taskId;

    @Column(name = "item_index", nullable = false)
    private int itemIndex;

    @Column(name = "item_json")
    private String itemJson;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    private TaskState state;

    @Column(nullable = false)
    private int attempt;

    @Column(name = "max_attempts", nullable = false)
    private int maxAttempts;

    @Column(name = "next_attempt_at", nullable = false)
    private Instant nextAttemptAt;

    @Column(name = "lease_owner")
    private String leaseOwner;

    @Column(name = "lease_token")
    private String leaseToken;

    @Column(name = "lease_expires_at")
    private Instant leaseExpiresAt;

    @Column(name = "started_at")
    private Instant startedAt;

    @Column(name = "ended_at")
    private Instant endedAt;

    @Column(name = "output_json")
    private String outputJson;

    @Column
    private String error;

    @Column(name = "log_path")
    private String logPath;

    @Column
    private String host;
    /** What the job holds on its pool host (comma-separated GPU indices, cores, bytes); null when it asked for none. */
    @Column(name = "gpu_indices")
    private String gpuIndices;

    @Column(name = "cpus_reserved")
    private Integer cpusReserved;

    @Column(name = "mem_reserved")
    private Long memReserved;

    @Column(nullable = false)
    private int interruptions;
    /** The attempt failed because its host was given up on, its job left there: a resume adopts it. */
    @Column(name = "left_on_host", nullable = false)
    private boolean leftOnHost;

    @Version
    private long version;

    protected TaskInstanceRecord() {}

    TaskInstanceRecord(String runId, String taskId, int itemIndex, String itemJson, int maxAttempts, Instant at) {
        this.runId = runId;
        this.taskId = taskId;
        this.itemIndex = itemIndex;
        this.itemJson = itemJson;
        this.state = TaskState.READY;
        this.attempt = 1;
        this.maxAttempts = maxAttempts;
        this.nextAttemptAt = at;
    }

    TaskInstance view() {
        return new TaskInstance(
                id,
                runId,
                taskId,
                itemIndex,
                itemJson,
                state,
                attempt,
                maxAttempts,
                nextAttemptAt,
                leaseOwner,
                leaseToken,
                startedAt,
                endedAt,
                outputJson,
                error,
                logPath,
                host,
                interruptions,
                leftOnHost);
    }

    long id() {
        return id;
    }

    String runId() {
        return runId;
    }

    String taskId() {
        return taskId;
    }

    int itemIndex() {
        return itemIndex;
    }

    String itemJson() {
        return itemJson;
    }

    TaskState state() {
        return state;
    }

    int attempt() {
        return attempt;
    }

    int maxAttempts() {
        return maxAttempts;
    }

    String leaseOwner() {
        return leaseOwner;
    }

    String leaseToken() {
        return leaseToken;
    }

    Instant startedAt() {
        return startedAt;
    }

    void lease(String owner, String token, Instant expires, Instant now) {
        state = TaskState.RUNNING;
        leaseOwner = owner;
        leaseToken = token;
        leaseExpiresAt = expires;
        startedAt = now;
    }

    void finish(TaskState end, String output, String failure, Instant now) {
        state = end;
        outputJson = output;
        error = failure;
        endedAt = now;
        clearLease();
    }

    void retryAt(Instant when, String failure) {
        state = TaskState.READY;
        attempt++;
        // a new attempt is a new job, placed afresh
        host = null;
        unreserve();
        interruptions = 0;
        nextAttemptAt = when;
        error = failure;
        clearLease();
    }

    /** Back to READY without using up an attempt: the attempt was cut short by the engine, not the task. */
    void interrupted(Instant now) {
        state = TaskState.READY;
        nextAttemptAt = now;
        clearLease();
    }

    /**
     * Made ready again after its task was cleared: its next attempt number and, from there, as many attempts as a
     * fresh instance gets; the item as the upstream outputs give it now.
     */
    void rerun(String item, int attemptsAllowed, Instant now) {
        retryByHand(now);
        itemJson = item;
        maxAttempts = attempt + attemptsAllowed - 1;
        startedAt = null;
    }

    /** A new attempt asked for by hand: READY now, with one more attempt allowed if it had used them all. */
    void retryByHand(Instant now) {
        state = TaskState.READY;
        attempt++;
        maxAttempts = Math.max(maxAttempts, attempt);
        nextAttemptAt = now;
        error = null;
        outputJson = null;
        endedAt = null;
        host = null;
        unreserve();
        interruptions = 0;
        clearLease();
    }

    void leftOnHost(boolean left) {
        leftOnHost = left;
    }

    boolean leftOnHost() {
        return leftOnHost;
    }

    /**
     * Taken up again after its host was given up on: READY with the same attempt (the same job, the same
     * directory, the same host), so that the job that ran on or finished there is adopted, not started again.
     */
    void takeUpLeftOnHost(Instant now) {
        leftOnHost = false;
        error = null;
        outputJson = null;
        endedAt = null;
        interrupted(now);
    }

    /** Its engine died or stalled: READY again, attempt and host kept, and the lapse counted. */
    void lapsed(Instant now) {
        interruptions++;
        interrupted(now);
    }

    /** How often the current attempt was cut short by its engine; its job and host are kept meanwhile. */
    int interruptions() {
        return interruptions;
    }

    String host() {
        return host;
    }

    void placedOn(String hostName) {
        host = hostName;
    }

    /** A new attempt is placed afresh: what the last one held on its host is its no more. */
    private void unreserve() {
        gpuIndices = null;
        cpusReserved = null;
        memReserved = null;
    }

    void logAt(String path) {
        logPath = path;
    }

    private void clearLease() {
        leaseOwner = null;
        leaseToken = null;
        leaseExpiresAt = null;
    }
}
