package io.caravan.plugins.slurm;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.caravan.spi.AbstractJobBackend;
import io.caravan.spi.CleanupResult;
import io.caravan.spi.JobSpec;
import io.caravan.spi.JobStatus;
import io.caravan.spi.LogChunk;
import io.caravan.spi.LogRange;
import io.caravan.spi.Submitted;
import io.caravan.spi.posix.PosixShellJobBackend;
import io.caravan.spi.posix.ShellRunner;
import io.caravan.spi.posix.ShellSnippets;

/**
 * Jobs on a Slurm cluster, driven from its login node through a shell (the host's pooled SSH transport). A
 * batch of submits becomes one job array; a poll is one squeue for every job; logs, outputs and cleanup are
 * the POSIX protocol's, on the shared file system.
 */
final class SlurmJobBackend extends AbstractJobBackend {
    private final ShellRunner shell;
    private final String where;
    private final String base;
    private final PosixShellJobBackend files;

    SlurmJobBackend(ShellRunner shell, String where, String base) {
        this.files = new PosixShellJobBackend(shell, where, base);
        this.shell = shell;
        this.where = where;
        this.base = base;
    }

    @Override
    public void submit(List<JobSpec> jobs) {
        submitJobs(jobs);
    }

    /** Jobs with the same sbatch arguments (options and resources) go out as one array. */
    @Override
    public Submitted submitJobs(List<JobSpec> jobs) {
        jobs.forEach(j -> checkId(j.id()));
        Map<SbatchOptions, List<JobSpec>> byOptions = new LinkedHashMap<>();
        jobs.forEach(j -> byOptions
                .computeIfAbsent(SbatchOptions.of(j), o -> new ArrayList<>())
                .add(j));
        Submitted all = new Submitted(List.of(), List.of());
        for (Map.Entry<SbatchOptions, List<JobSpec>> e : byOptions.entrySet()) {
            String out = text(shell.run(SlurmScripts.submit(base, e.getValue(), e.getKey())));
            Submitted answer = Submitted.parse(out);
            if (answer.count() != e.getValue().size()) {
                throw new IllegalStateException(
                        "submitting " + e.getValue().size() + " Slurm jobs on " + where + " answered: " + out);
            }
            all = all.and(answer);
        }
        return all;
    }

    @Override
    public List<JobStatus> poll(List<String> ids) {
        ids.forEach(AbstractJobBackend::checkId);
        return inBatches(ids, PosixShellJobBackend.BATCH, batch -> {
            Map<String, List<String>> sections =
                    ShellSnippets.sections(text(shell.run(SlurmScripts.poll(base, batch))));
            Map<String, String> states = new HashMap<>();
            sections.getOrDefault("squeue", List.of()).forEach(l -> {
                String[] p = l.strip().split("\\s+", 2);
                states.put(p[0], p.length > 1 ? p[1] : "UNKNOWN");
            });
            Map<String, Long> sizes = ShellSnippets.sizes(sections.getOrDefault("sizes", List.of()));
            List<JobStatus> statuses = new ArrayList<>();
            for (String line : sections.get("")) {
                String[] r = line.split(" ");
                if (r.length == 2 && r[1].equals("M")) {
                    statuses.add(new JobStatus(r[0], JobStatus.JobState.MISSING, null, 0));
                } else if (r.length == 3) {
                    Integer exit = r[1].equals("-") ? null : Integer.valueOf(r[1]);
                    String slurmId = r[2].equals("-") ? null : r[2];
                    statuses.add(SlurmStates.status(
                            r[0],
                            exit,
                            slurmId,
                            slurmId == null ? null : states.get(slurmId),
                            sizes.getOrDefault(r[0], 0L)));
                } else {
                    throw new IllegalStateException("unreadable poll line from " + where + ": '" + line + "'");
                }
            }
            return statuses;
        });
    }

    @Override
    public List<LogChunk> readLogs(List<LogRange> ranges) {
        return files.readLogs(ranges);
    }

    @Override
    public Map<String, String> outputs(List<String> ids) {
        return files.outputs(ids);
    }

    @Override
    public void cancel(List<String> ids, boolean force) {
        ids.forEach(AbstractJobBackend::checkId);
        shell.run(SlurmScripts.cancel(base, ids, force));
    }

    /**
     * Liveness from Slurm (squeue, through the poll), not from {@code kill -0} on the login node where the job never
     * runs: a job Slurm still has going keeps its directory; the others go by the POSIX protocol's cleanup.
     */
    @Override
    public List<CleanupResult> cleanup(List<String> ids) {
        List<CleanupResult> results = new ArrayList<>();
        List<String> ended = new ArrayList<>();
        for (JobStatus s : poll(ids)) {
            if (s.state() == JobStatus.JobState.RUNNING) {
                results.add(new CleanupResult(s.id(), false, "running"));
            } else {
                ended.add(s.id());
            }
        }
        results.addAll(ended.isEmpty() ? List.of() : files.cleanup(ended));
        return results;
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
