package io.caravan.spi.posix;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

import io.caravan.spi.AbstractJobBackend;
import io.caravan.spi.CleanupResult;
import io.caravan.spi.JobDirectory;
import io.caravan.spi.JobSpec;
import io.caravan.spi.JobStatus;
import io.caravan.spi.LogChunk;
import io.caravan.spi.LogRange;
import io.caravan.spi.Submitted;

/**
 * Detached jobs on a POSIX host (SPEC §4), wherever a {@link ShellRunner} runs its scripts: over SSH, or on
 * this machine. Every operation is one script per batch of up to {@link #BATCH} jobs, so polling a thousand
 * jobs costs two commands, not a thousand.
 */
public class PosixShellJobBackend extends AbstractJobBackend {
    public static final int BATCH = 500;
    /** Jobs looked at by one poll command: a host's whole round, whatever the number of its jobs. */
    static final int POLL_BATCH = 20_000;
    /** Log bytes one command brings back at most: what a read of many jobs' logs holds in memory. */
    static final long LOG_BYTES_PER_COMMAND = 8L << 20;

    static final int SUBMIT_BATCH = 250;
    private static final int MAX_OUTPUTS_BYTES = 1 << 20;
    /** Ranges from a log's first byte may travel in one cat for the batch (see {@link PosixJobScripts#readLogs}). */
    private static final Predicate<LogRange> WHOLE = r -> r.offset() == 0 && r.length() > 0;

    private final ShellRunner shell;
    private final String where;
    private final String base;

    /**
     * @param where names the host in messages
     * @param base  directory on the host that holds the job directories; a relative one is under the home directory
     */
    public PosixShellJobBackend(ShellRunner shell, String where, String base) {
        this.shell = shell;
        this.where = where;
        this.base = JobDirectory.checkBase(base);
    }

    @Override
    public void submit(List<JobSpec> jobs) {
        submitJobs(jobs);
    }

    @Override
    public Submitted submitJobs(List<JobSpec> jobs) {
        jobs.forEach(j -> checkId(j.id()));
        return inBatches(jobs, SUBMIT_BATCH, batch -> List.of(submitBatch(batch))).stream()
                .reduce(new Submitted(List.of(), List.of()), Submitted::and);
    }

    private Submitted submitBatch(List<JobSpec> batch) {
        // a submit may be repeated: every job either starts or is adopted, never started twice
        String out = text(shell.run(PosixJobScripts.submit(base, batch)));
        Submitted answer = Submitted.parse(out);
        if (answer.count() != batch.size() || out.lines().count() != batch.size()) {
            throw new IllegalStateException("submitting " + batch.size() + " jobs to " + where + " answered: " + out);
        }
        return answer;
    }

    @Override
    public List<JobStatus> poll(List<String> ids) {
        ids.forEach(AbstractJobBackend::checkId);
        return inBatches(ids, POLL_BATCH, batch -> parsePoll(text(shell.run(PosixJobScripts.poll(base, batch)))));
    }

    private static List<JobStatus> parsePoll(String out) {
        Map<String, List<String>> sections = ShellSnippets.sections(out);
        Map<String, Long> sizes = ShellSnippets.sizes(sections.getOrDefault("sizes", List.of()));
        List<String[]> rows = sections.get("").stream().map(l -> l.split(" ")).toList();
        List<JobStatus> statuses = new ArrayList<>();
        for (String[] r : rows) {
            if (r.length < 2 || (!r[1].equals("M") && (r.length < 3 || !r[1].matches("-|\\d+")))) {
                throw new IllegalStateException(
                        "unreadable poll line from the job host: '" + String.join(" ", r) + "'");
            }
            long size = sizes.getOrDefault(r[0], 0L);
            if (r[1].equals("M")) {
                statuses.add(new JobStatus(r[0], JobStatus.JobState.MISSING, null, 0));
            } else if (!r[1].equals("-")) {
                statuses.add(new JobStatus(r[0], JobStatus.JobState.EXITED, Integer.parseInt(r[1].strip()), size));
            } else {
                statuses.add(new JobStatus(
                        r[0], r[2].equals("1") ? JobStatus.JobState.RUNNING : JobStatus.JobState.LOST, null, size));
            }
        }
        return statuses;
    }

    @Override
    public List<LogChunk> readLogs(List<LogRange> ranges) {
        ranges.forEach(r -> checkId(r.id()));
        return inByteBatches(ranges, batch -> {
            Map<String, byte[]> frames = Frames.parse(
                    shell.run(PosixJobScripts.readLogs(base, batch, WHOLE)),
                    batch.stream().filter(WHOLE).toList());
            return batch.stream()
                    .map(r -> new LogChunk(r.id(), r.offset(), frames.getOrDefault(r.id(), new byte[0])))
                    .toList();
        });
    }

    /** Slices of at most 200 ranges and {@link #LOG_BYTES_PER_COMMAND} bytes (a single larger range on its own). */
    private static <R> List<R> inByteBatches(List<LogRange> ranges, Function<List<LogRange>, List<R>> perBatch) {
        List<R> results = new ArrayList<>();
        int from = 0;
        while (from < ranges.size()) {
            int to = from;
            long bytes = 0;
            while (to < ranges.size()
                    && to - from < 200
                    && (to == from || bytes + ranges.get(to).length() <= LOG_BYTES_PER_COMMAND)) {
                bytes += ranges.get(to).length();
                to++;
            }
            results.addAll(perBatch.apply(ranges.subList(from, to)));
            from = to;
        }
        return results;
    }

    @Override
    public Map<String, String> outputs(List<String> ids) {
        ids.forEach(AbstractJobBackend::checkId);
        Map<String, String> outputs = new LinkedHashMap<>();
        inBatches(ids, BATCH, batch -> {
            Frames.parse(shell.run(PosixJobScripts.outputs(base, batch, MAX_OUTPUTS_BYTES)))
                    .forEach((id, bytes) -> outputs.put(id, new String(bytes, StandardCharsets.UTF_8)));
            return List.of();
        });
        return outputs;
    }

    @Override
    public void cancel(List<String> ids, boolean force) {
        ids.forEach(AbstractJobBackend::checkId);
        inBatches(ids, BATCH, batch -> {
            shell.run(PosixJobScripts.cancel(base, batch, force));
            return List.of();
        });
    }

    @Override
    public List<CleanupResult> cleanup(List<String> ids) {
        ids.forEach(AbstractJobBackend::checkId);
        return inBatches(
                ids,
                BATCH,
                batch -> text(shell.run(PosixJobScripts.cleanup(base, batch)))
                        .lines()
                        .map(line -> {
                            String[] p = line.split(" ", 2);
                            boolean removed = p[1].equals("removed") || p[1].equals("gone");
                            // "undeletable: <rm's own words>" keeps rm's reason for the debt
                            return new CleanupResult(p[0], removed, removed ? null : p[1].strip());
                        })
                        .toList());
    }

    /**
     * Removes our job directories (they carry the owner marker) that no live job uses and that have not
     * changed for {@code ttl}; with {@code dryRun} only says which. One line per directory looked at: "ID state".
     */
    public List<String> sweep(Duration ttl, boolean dryRun) {
        long minutes = Math.max(0, ttl.toMinutes());
        return text(shell.run(PosixJobScripts.sweep(base, minutes, dryRun)))
                .lines()
                .toList();
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
