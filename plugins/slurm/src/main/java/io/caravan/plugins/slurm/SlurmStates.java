package io.caravan.plugins.slurm;

import java.util.Map;
import java.util.Set;

import io.caravan.spi.JobStatus;
import io.caravan.spi.JobStatus.JobState;

/**
 * Slurm job states as job states: still going, or ended without an exit code (and whether a retry may help: the node's
 * or the scheduler's doing, or too little memory or time asked for, which a retry may ask more of).
 */
final class SlurmStates {
    private static final Set<String> GOING = Set.of(
            "PENDING",
            "CONFIGURING",
            "RUNNING",
            "COMPLETING",
            "SUSPENDED",
            "REQUEUED",
            "REQUEUE_FED",
            "REQUEUE_HOLD",
            "RESIZING",
            "SIGNALING",
            "STAGE_OUT",
            "STOPPED",
            "RESV_DEL_HOLD");
    /** The node or the scheduler took the job away: trying again may well work. */
    private static final Set<String> RETRYABLE = Set.of("NODE_FAIL", "PREEMPTED", "BOOT_FAIL", "FAILED");
    /**
     * Slurm ended the job for asking too little: retried under {@code retries}, where a per-attempt list in
     * {@code resources:} ({@code mem: [4G, 8G]}) asks for more.
     */
    private static final Map<String, String> WHY = Map.of(
            "OUT_OF_MEMORY",
                    "Slurm killed it for using more memory than it asked for (resources: mem:;"
                            + " a list like mem: [4G, 8G] asks for more on each retry)",
            "TIMEOUT",
                    "Slurm stopped it at its time limit (resources: time: or time_limit:;"
                            + " a list like time: [1h, 4h] asks for more on each retry)");

    private SlurmStates() {}

    /**
     * @param exitCode the job's own exit code, when its wrapper wrote one
     * @param state    the Slurm state, or null when squeue no longer knows the job
     */
    static JobStatus status(String id, Integer exitCode, String slurmId, String state, long logSize) {
        if (exitCode != null) {
            return new JobStatus(id, JobState.EXITED, exitCode, logSize);
        }
        if (slurmId == null) {
            return new JobStatus(id, JobState.RUNNING, null, logSize); // being submitted
        }
        if (state == null) {
            return new JobStatus(
                    id, JobState.LOST, null, logSize, "Slurm job " + slurmId + " is unknown to squeue", true);
        }
        String base = state.split("[ +]")[0];
        if (GOING.contains(base) || base.equals("COMPLETED")) {
            // COMPLETED without an exit file: the wrapper's last write lands by the next poll
            return new JobStatus(id, JobState.RUNNING, null, logSize);
        }
        String why = WHY.get(base);
        return new JobStatus(
                id,
                JobState.LOST,
                null,
                logSize,
                "Slurm job " + slurmId + " " + base + (why == null ? "" : ": " + why),
                RETRYABLE.contains(base) || WHY.containsKey(base));
    }
}
