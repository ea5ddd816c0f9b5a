package io.caravan.app.workflow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import io.caravan.core.engine.Json;
import io.caravan.core.jobs.JobPlace;
import io.caravan.core.jobs.SupervisorStats;
import io.caravan.core.runs.RunState;
import io.caravan.core.ssh.HostStats;
import io.caravan.core.ssh.SshTransport;
import io.caravan.core.storage.RunStore;

/**
 * {@code --report FILE.json} (SPEC §6): state, task instances by state, wall_ms, cleanup_debts, and per
 * SSH host handshakes, handshake_failures, channels_opened, channel_refusals, reconnects; per remote-job
 * place (host and base directory) jobs and the commands that carried them.
 */
final class RunReport {
    private RunReport() {}

    static Map<String, Object> of(
            String runId,
            String workflowId,
            RunState state,
            long wallMillis,
            RunStore store,
            SshTransport transport,
            Iterable<String> hosts,
            Map<JobPlace, SupervisorStats> jobs,
            int cleanupDebts) {
        Map<String, Long> tasks = new TreeMap<>();
        store.countsByTask(runId)
                .values()
                .forEach(byState ->
                        byState.forEach((s, n) -> tasks.merge(s.name().toLowerCase(Locale.ROOT), n, Long::sum)));
        Map<String, Object> ssh = new TreeMap<>();
        for (String host : hosts) {
            HostStats s = transport.stats(host);
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("handshakes", s.handshakes());
            h.put("handshake_failures", s.handshakeFailureCount());
            h.put("handshake_failures_by_cause", s.handshakeFailures());
            h.put("channels_opened", s.channelsOpened());
            h.put("channel_refusals", s.channelRefusals());
            h.put("reconnects", s.reconnects());
            ssh.put(host, h);
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("run_id", runId);
        report.put("workflow", workflowId);
        report.put("state", state.name().toLowerCase(Locale.ROOT));
        report.put("tasks", tasks);
        report.put("wall_ms", wallMillis);
        report.put("cleanup_debts", cleanupDebts);
        report.put("ssh", ssh);
        Map<String, Object> supervised = new TreeMap<>();
        jobs.forEach((place, st) -> {
            Map<String, Object> j = new LinkedHashMap<>();
            j.put("jobs_submitted", st.jobsSubmitted());
            j.put("jobs_ended", st.jobsEnded());
            j.put("rounds", st.rounds());
            j.put("submit_commands", st.submitCommands());
            j.put("poll_commands", st.pollCommands());
            j.put("failed_rounds", st.failedRounds());
            supervised.put(place.label() + ":" + place.base(), j);
        });
        report.put("remote_jobs", supervised);
        return report;
    }

    static void write(Path file, Map<String, Object> report) throws IOException {
        Files.writeString(file, Json.write(report) + "\n");
    }
}
