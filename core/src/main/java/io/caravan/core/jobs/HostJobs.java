package io.caravan.core.jobs;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

import io.caravan.spi.JobStatus;

/**
 * The jobs of one host and what is known of each: queued, active (submitted and polled), and the held ones whose
 * directories wait for their outcome to be recorded. The one writer of every {@link Watch}'s state (an ArchUnit
 * rule keeps it so): the supervisor's steps, the completion and the log collector tell it what they saw or did,
 * and it notes it under its lock.
 */
final class HostJobs {
    private final Deque<Watch> queued = new ArrayDeque<>();
    private final Map<String, Watch> active = new LinkedHashMap<>();
    private final Set<String> awaitingRecord = new HashSet<>();
    private final List<String> recordedCleanups = new ArrayList<>();
    private boolean closed;

    /** Queues the job for the next submit; false once closed. */
    synchronized boolean queue(Watch w) {
        if (closed) {
            return false;
        }
        queued.add(w);
        return true;
    }

    synchronized void close() {
        closed = true;
    }

    synchronized boolean closed() {
        return closed;
    }

    /** Marks an active or queued job to be cancelled; false when the host has no such job. */
    synchronized boolean cancel(String jobId) {
        Watch w = active.get(jobId);
        if (w == null) {
            w = queued.stream().filter(q -> q.id().equals(jobId)).findFirst().orElse(null);
        }
        if (w == null) {
            return false;
        }
        w.cancelRequested = true;
        return true;
    }

    /** Up to {@code max} queued jobs, taken off the queue; detached ones are dropped, cancelled ones end here. */
    synchronized List<Watch> takeBatch(int max) {
        List<Watch> taken = new ArrayList<>();
        for (Watch w; taken.size() < max && (w = queued.poll()) != null; ) {
            if (w.detached()) {
                continue;
            }
            if (w.cancelRequested) {
                w.outcome.complete(
                        new JobOutcome(w.id(), JobOutcome.Ending.CANCELLED, null, null, "cancelled before it started"));
                continue;
            }
            taken.add(w);
        }
        return taken;
    }

    synchronized boolean hasQueued() {
        return !queued.isEmpty();
    }

    /** The batch's jobs (those still attached) were started: they are polled from now on, their timeouts counting. */
    synchronized void submitted(List<Watch> batch, Instant now) {
        batch.stream().filter(w -> !w.detached()).forEach(w -> {
            w.submittedAt = now;
            w.deadline = w.request.timeout() == null ? null : now.plus(w.request.timeout());
            active.put(w.id(), w);
        });
    }

    /** The ids to poll: every active job still attached. */
    synchronized List<String> pollIds() {
        active.values().removeIf(Watch::detached);
        return List.copyOf(active.keySet());
    }

    /** One job's event in a poll's answer; the log size it reported is noted. Null for a job no longer watched. */
    synchronized JobEvent event(JobStatus status) {
        Watch w = active.get(status.id());
        if (w == null) {
            return null;
        }
        w.size = Math.max(w.size, status.logSize());
        JobEvent.Kind kind = switch (status.state()) {
            case RUNNING -> w.size > w.offset ? JobEvent.Kind.LOG_GROWN : JobEvent.Kind.RUNNING;
            case EXITED -> JobEvent.Kind.ENDED;
            case LOST, MISSING -> JobEvent.Kind.LOST;
        };
        return new JobEvent(kind, w, status);
    }

    /** The job's state now, in one piece. */
    synchronized JobView view(Watch w) {
        return JobView.of(w);
    }

    /** TERM is being sent to the job's process group. */
    synchronized void termSent(Watch w, Instant now) {
        w.termSentAt = now;
    }

    /** KILL is being sent to the job's process group, its grace after TERM over. */
    synchronized void killSent(Watch w) {
        w.killSent = true;
    }

    /** {@code bytes} more of the job's log reached its sink. */
    synchronized void logRead(Watch w, int bytes) {
        w.offset += bytes;
    }

    /** The log is shorter than reported (it was replaced): what was read is all there is. */
    synchronized void logShorter(Watch w) {
        w.size = w.offset;
    }

    /** The jobs ended and are completed: no longer polled. */
    synchronized void ended(List<Watch> done) {
        done.forEach(w -> active.remove(w.id()));
    }

    /** The held job ended: its directory goes once {@link #outcomeRecorded} says its outcome is safe. */
    synchronized void awaitRecord(String jobId) {
        awaitingRecord.add(jobId);
    }

    synchronized void outcomeRecorded(String jobId) {
        if (awaitingRecord.remove(jobId)) {
            recordedCleanups.add(jobId);
        }
    }

    /** The directories to remove now: held jobs whose outcomes were recorded. */
    synchronized List<String> takeRecorded() {
        List<String> ids = new ArrayList<>(recordedCleanups);
        recordedCleanups.clear();
        return ids;
    }

    /** Every active and queued job, taken off the host (it is given up on). */
    synchronized List<Watch> takeAll() {
        List<Watch> all = new ArrayList<>(active.values());
        all.addAll(queued);
        active.clear();
        queued.clear();
        return all;
    }

    /** Whether the host wants a step: a poll for its active jobs (when due, or a cancel waits), or a removal. */
    synchronized boolean wantsPoll(boolean pollDue) {
        return (!active.isEmpty() && (pollDue || anyCancelPending())) || !recordedCleanups.isEmpty();
    }

    private boolean anyCancelPending() {
        return active.values().stream().anyMatch(w -> w.cancelRequested && !w.signalled());
    }

    /** How often the host wants to be looked at: its jobs' shortest interval, or the setting. */
    synchronized Duration interval(Duration setting) {
        return Stream.concat(
                        Stream.of(setting),
                        active.values().stream()
                                .map(w -> w.request.pollInterval())
                                .filter(Objects::nonNull))
                .min(Duration::compareTo)
                .orElseThrow();
    }

    synchronized int activeCount() {
        return active.size();
    }

    synchronized int queuedCount() {
        return queued.size();
    }
}
