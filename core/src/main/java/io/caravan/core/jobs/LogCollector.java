package io.caravan.core.jobs;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.caravan.spi.JobBackend;
import io.caravan.spi.LogChunk;
import io.caravan.spi.LogRange;

/**
 * Moves log bytes from the host to each job's sink: only for logs that grew, at most {@code chunk} bytes a
 * job per command, cut on UTF-8 character boundaries while the job runs.
 */
final class LogCollector {
    private final JobBackend backend;
    private final int chunk;
    private final HostJobs jobs;

    LogCollector(JobBackend backend, int chunk, HostJobs jobs) {
        this.backend = backend;
        this.chunk = chunk;
        this.jobs = jobs;
    }

    /** One chunk for each running job whose log grew. */
    void collectGrowth(List<Watch> running) {
        read(running.stream().filter(w -> jobs.view(w).logGrown()).toList(), true);
    }

    /** Everything up to the last reported size of jobs that ended: nothing is held back any more. */
    void collectRest(List<Watch> ended) {
        List<Watch> left = ended;
        while (!left.isEmpty()) {
            read(left, false);
            left = left.stream().filter(w -> jobs.view(w).logGrown()).toList();
        }
    }

    private void read(List<Watch> watches, boolean wholeCharacters) {
        if (watches.isEmpty()) {
            return;
        }
        Map<String, Watch> byId = watches.stream().collect(Collectors.toMap(Watch::id, Function.identity()));
        List<LogRange> ranges = new ArrayList<>();
        watches.stream().map(jobs::view).forEach(v -> ranges.add(LogRange.next(v.id(), v.offset(), v.size(), chunk)));
        for (LogChunk c : backend.readLogs(ranges)) {
            Watch w = byId.get(c.id());
            byte[] bytes = c.bytes();
            if (bytes.length == 0) {
                jobs.logShorter(w); // stop asking
                continue;
            }
            int keep = wholeCharacters ? Utf8.completePrefix(bytes) : bytes.length;
            if (keep > 0) {
                w.request.log().append(keep == bytes.length ? bytes : Arrays.copyOf(bytes, keep));
                jobs.logRead(w, keep);
            }
        }
    }
}
