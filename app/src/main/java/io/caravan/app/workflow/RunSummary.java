package io.caravan.app.workflow;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

import io.caravan.app.console.Elapsed;
import io.caravan.core.runs.RunState;
import io.caravan.core.runs.TaskState;
import io.caravan.core.ssh.HostStats;
import io.caravan.core.storage.RunStore;
import io.caravan.core.storage.RunTask;

/**
 * The one way a run is summed up on the console, by {@code run}, {@code demo} and the progress line alike:
 * tasks by state, then the items (task instances) of fan-outs by state.
 */
public final class RunSummary {
    private RunSummary() {}

    /** {@code run ID failed in 1m 12s: 4 tasks (2 succeeded, 1 failed, 1 upstream_failed), 242 items (…)}. */
    public static String of(String runId, RunState end, Duration wall, RunStore store) {
        Map<TaskState, Long> tasks = new EnumMap<>(TaskState.class);
        store.runTasks(runId).stream().map(RunTask::state).forEach(s -> tasks.merge(s, 1L, Long::sum));
        Map<TaskState, Long> items = new EnumMap<>(TaskState.class);
        store.countsByTask(runId).values().forEach(byState -> byState.forEach((s, n) -> items.merge(s, n, Long::sum)));
        return "run " + runId + " " + end.name().toLowerCase(Locale.ROOT) + " in " + Elapsed.format(wall) + ": "
                + counted(tasks, "task") + ", " + counted(items, "item");
    }

    /** {@code SSH 127.0.0.1:22: 1 handshake, 29 exec channels, 0 channel refusals, 0 reconnects}. */
    public static String ssh(HostStats s) {
        return "SSH " + s.host() + ": " + plural(s.handshakes(), "handshake")
                + (s.handshakeFailureCount() == 0
                        ? ""
                        : " (" + s.handshakeFailureCount() + " failed: " + s.handshakeFailures() + ")")
                + ", " + plural(s.channelsOpened(), "exec channel") + ", "
                + plural(s.channelRefusals(), "channel refusal")
                + ", " + plural(s.reconnects(), "reconnect");
    }

    /** {@code cleanup debts: 0}, or how many and where to look. */
    public static String debts(int outstanding) {
        return "cleanup debts: " + outstanding
                + (outstanding == 0 ? "" : " (./caravan cleanup ls; they are retried on their own)");
    }

    private static String plural(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }

    /** {@code 4 tasks (2 succeeded, 1 failed, 1 upstream_failed)}. */
    static String counted(Map<TaskState, Long> byState, String noun) {
        long total = byState.values().stream().mapToLong(Long::longValue).sum();
        return plural(total, noun) + (total == 0 ? "" : " (" + tally(byState) + ")");
    }

    /** {@code 2 succeeded, 1 failed}, in the order of the states' life. */
    static String tally(Map<TaskState, Long> byState) {
        return byState.entrySet().stream()
                .filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.comparingByKey())
                .map(e -> e.getValue() + " " + e.getKey().name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
    }
}
