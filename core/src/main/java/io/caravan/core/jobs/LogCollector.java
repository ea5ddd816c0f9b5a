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

    LogCollector(JobBackend backend, int chunk) {
        this.backend = backend;
        this.chunk = chunk;
    }

    /** One chunk for each running job whose log grew. */
    void collectGrowth(List<Watch> running) {
        read(running.stream().filter(w -> w.size > w.offset).toList(), true);
    }

    /** Everything up to the last reported size of jobs that ended: nothing is held back any more. */
    void collectRest(List<Watch> ended) {
        List<Watch> left = ended;
        while (!left.isEmpty()) {
            read(left, false);
            left = left.stream().filter(w -> w.size > w.offset).toList();
        }
    }

    private void read(List<Watch> watches, boolean wholeCharacters) {
        if (watches.isEmpty()) {
            return;
        }
        Map<String, Watch> byId = watches.stream().collect(Collectors.toMap(Watch::id, Function.identity()));
        List<LogRange> ranges = new ArrayList<>();
        watches.forEach(w -> ranges.add(LogRange.next(w.id(), w.offset, w.size, chunk)));
        for (LogChunk c : backend.readLogs(ranges)) {
            Watch w = byId.get(c.id());
            byte[] bytes = c.bytes();
            if (bytes.length == 0) {
                w.size = w.offset; // the log is shorter than reported (it was replaced): stop asking
                continue;
            }
            int keep = wholeCharacters ? Utf8.completePrefix(bytes) : bytes.length;
            if (keep > 0) {
                w.request.log().append(keep == bytes.length ? bytes : Arrays.copyOf(bytes, keep));
                w.offset += keep;
            }
        }
    }
}
