package io.caravan.core.jobs;

import java.time.Duration;

/**
 * When a job's directory may go: the one place that decides it. A directory goes when its job has ended, its
 * cleanup policy asks for it, and (for a held job) once the engine has recorded the outcome, so that an engine
 * that dies in between adopts the job instead of starting it again. A job whose host was given up on keeps its
 * directory as a cleanup debt: it may still be running, and the protocol's cleanup never removes a running
 * job's directory. Such a job is left on the host, not lost: a resume takes its attempt up again under the same job
 * id, so the same directory, and adopts the job; meanwhile the debt is held by the adopting engine, never retried
 * under the adopted job.
 */
public final class DirectoryRule {
    private DirectoryRule() {}

    /** What becomes of an ended job's directory. */
    public enum Fate {
        /** Removed now, before its outcome is delivered. */
        REMOVE_NOW,
        /** Removed once its outcome is recorded ({@link JobSupervisor#outcomeRecorded}). */
        AFTER_RECORDING,
        /** Owed: written down as a cleanup debt, removed when the host answers and the job has ended. */
        DEBT,
        /** Kept, as the policy says. */
        KEEP
    }

    public static Fate of(CleanupPolicy policy, JobOutcome outcome, boolean held) {
        if (outcome.ending() == JobOutcome.Ending.UNREACHABLE) {
            return policy == CleanupPolicy.NEVER ? Fate.KEEP : Fate.DEBT;
        }
        boolean removes = policy == CleanupPolicy.ALWAYS || (policy == CleanupPolicy.ON_SUCCESS && outcome.succeeded());
        if (!removes) {
            return Fate.KEEP;
        }
        return held ? Fate.AFTER_RECORDING : Fate.REMOVE_NOW;
    }

    /**
     * Whether a held job's directory is owed by the attempt's recorded result (removed even if this engine dies
     * between recording and removing); a cancelled job's goes at once, a local one is nobody's debt.
     */
    public static boolean owedByResult(JobOutcome outcome, boolean remote) {
        return outcome.held() && outcome.ending() != JobOutcome.Ending.CANCELLED && remote;
    }

    /**
     * Whether the job was left on a host that was given up on: it may run on or have finished there, so its
     * attempt is not failed for good but taken up again by a resume, which adopts the job.
     */
    public static boolean leftOnHost(JobOutcome outcome) {
        return outcome.ending() == JobOutcome.Ending.UNREACHABLE;
    }

    /**
     * The job id of a run's attempt, which names its directory: the same attempt always gets the same one, which
     * is what lets a resumed attempt adopt its job instead of starting it again.
     */
    public static String jobId(String runId, String taskId, int itemIndex, int attempt) {
        String task = taskId.length() <= 120
                ? taskId
                : taskId.substring(0, 100) + "." + Integer.toHexString(taskId.hashCode());
        return runId + "." + task + "." + itemIndex + "." + attempt;
    }

    /**
     * How long the debt of a directory whose job is adopted is held by the adopting engine (as a removal under
     * way) rather than retried: the adopted attempt removes the directory when its outcome is recorded, which
     * settles the debt; should that engine die too, resuming the run makes it a debt due again.
     */
    public static Duration adoptedDebtHold() {
        return Duration.ofMinutes(10);
    }
}
