package io.caravan.core.jobs;

/**
 * When a job's directory may go: the one place that decides it. A directory goes when its job has ended, its
 * cleanup policy asks for it, and (for a held job) once the engine has recorded the outcome, so that an engine
 * that dies in between adopts the job instead of starting it again. A job whose host was given up on keeps its
 * directory as a cleanup debt: it may still be running, and the protocol's cleanup never removes a running
 * job's directory.
 */
public final class DirectoryRule {
    private DirectoryRule() {
    }

    /** What becomes of an ended job's directory. */
    public enum Fate {
        /** Removed now, before its outcome is delivered. */
        REMOVE_NOW,
        /** Removed once its outcome is recorded ({@link JobSupervisor#release}). */
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
     * between recording and removing); a cancelled job's is released at once, a local one is nobody's debt.
     */
    public static boolean owedByResult(JobOutcome outcome, boolean remote) {
        return outcome.held() && outcome.ending() != JobOutcome.Ending.CANCELLED && remote;
    }
}
