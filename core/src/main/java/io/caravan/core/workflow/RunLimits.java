package io.caravan.core.workflow;

import java.time.Duration;
import java.util.Locale;

/**
 * How long a workflow's run may take and how many of its runs may be active at once (SPEC §5).
 *
 * @param timeout       how long after its first start a run is failed (its running tasks killed), or null for none
 * @param maxActiveRuns how many runs of the workflow a schedule firing may find active before {@link #overlap} applies
 * @param overlap       what a schedule firing does while {@code maxActiveRuns} runs are active
 */
public record RunLimits(Duration timeout, int maxActiveRuns, Overlap overlap) {
    /** A schedule's runs do not overlap unless the file says so: one at a time, a firing meanwhile waits its turn. */
    public static final RunLimits DEFAULTS = new RunLimits(null, 1, Overlap.QUEUE);

    /** What a firing does while the workflow has its max_active_runs active. */
    public enum Overlap {
        /** No run: a skipped run record says why. */
        SKIP,
        /** The run is created and waits, queued, until fewer runs are active. */
        QUEUE,
        /** The run starts anyway (max_active_runs is not applied). */
        ALLOW;

        public String key() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
