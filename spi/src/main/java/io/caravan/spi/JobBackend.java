package io.caravan.spi;

import java.util.List;
import java.util.Map;

/**
 * Where jobs run: a POSIX host over SSH, a local machine, a Slurm cluster. Every operation takes many
 * jobs at once, because a backend that talks to a remote host must answer a thousand jobs with one
 * command, not a thousand.
 */
public interface JobBackend {

    /** Starts the jobs, adopting any that already exist. */
    void submit(List<JobSpec> jobs);

    /**
     * Starts the jobs as {@link #submit} does, and tells which this call started and which it found already
     * there and adopted; Caravan calls this one. Since plugin API 1.2.0: a backend built for 1.1 does not override
     * it, and every job it is given counts as started.
     */
    default Submitted submitJobs(List<JobSpec> jobs) {
        submit(jobs);
        return Submitted.allStarted(jobs);
    }

    /** One look at every given job. */
    List<JobStatus> poll(List<String> ids);

    /** The given ranges of the jobs' logs; each must lie within the size a poll reported. */
    List<LogChunk> readLogs(List<LogRange> ranges);

    /** The job's {@code outputs.json}, or null if it wrote none. */
    Map<String, String> outputs(List<String> ids);

    /** Signals each job's whole process group: TERM, or KILL when {@code force}. */
    void cancel(List<String> ids, boolean force);

    /** Removes job directories; never one whose job is still running. */
    List<CleanupResult> cleanup(List<String> ids);
}
