package io.caravan.plugins.slurm;

import static io.caravan.spi.posix.ShellQuote.quote;

import java.util.List;
import java.util.stream.Collectors;

import io.caravan.spi.JobSpec;
import io.caravan.spi.posix.ShellSnippets;

/**
 * The shell side of Slurm jobs. Job directories are laid out as remote_job's (script, env, owner, log,
 * exit, outputs.json), so logs, outputs and cleanup use the POSIX protocol; what differs is the start (one
 * {@code sbatch --array} for a batch) and the poll (one {@code squeue} for every job of the batch).
 */
final class SlurmScripts {
    /** One array element: finds its job directory by SLURM_ARRAY_TASK_ID in the batch's list, runs the job there. */
    private static final String ELEMENT = String.join(
            "\n",
            "id=$(sed -n \"$((SLURM_ARRAY_TASK_ID + 1))p\" \"$list\")",
            "[ -n \"$id\" ] && cd \"$id\" || exit 97",
            "echo \"$$ ok\" > pgid",
            ". ./env",
            "CARAVAN_JOB_DIR=\"$PWD\"; CARAVAN_OUTPUTS=\"$PWD/outputs.json\"; export CARAVAN_JOB_DIR CARAVAN_OUTPUTS",
            "sh ./script > log 2>&1 < /dev/null",
            "echo \"$? ok\" > exit",
            "");

    /** What slurmstepd writes to a job's output when it kills the job for going over its --mem. */
    static final String MEMORY_KILLED = "xceeded job memory limit";

    private SlurmScripts() {}

    /**
     * Creates the jobs' directories (adopting those already started) and submits the new ones as one job
     * array with the arguments they ask for, each quoted. Prints "started ID" or "adopted ID" per job, then "@@array JOBID" when it submitted.
     */
    static String submit(String base, List<JobSpec> jobs, SbatchOptions options) {
        StringBuilder sh =
                new StringBuilder("set -u\nmkdir -p " + quote(base) + "/.slurm && cd " + quote(base) + " || exit 90\n");
        sh.append("mkdir -p ")
                .append(ShellSnippets.words(jobs.stream().map(JobSpec::id).toList()))
                .append(" || exit 92\n");
        sh.append("batch=.slurm/b-$$-$(date +%s)\n: > \"$batch.list\"\nset -C\n");
        sh.append("job() {\n")
                // the script is the start marker, as in remote_job's submit: created with noclobber, so only once
                .append("  if ! printf '%s' \"$2\" 2>/dev/null > \"$1/script\"; then echo \"adopted $1\"; return; fi\n")
                .append("  printf '%s' \"$3\" >| \"$1/env\"; printf '%s\\n' \"$4\" >| \"$1/owner\"\n")
                .append("  printf '%s\\n' \"$1\" >> \"$batch.list\"; echo \"started $1\"\n")
                .append("}\n");
        for (JobSpec job : jobs) {
            sh.append("job ")
                    .append(quote(job.id()))
                    .append(' ')
                    .append(quote(job.script()))
                    .append(' ')
                    .append(quote(ShellSnippets.exports(job.env())))
                    .append(' ')
                    .append(quote(job.owner()))
                    .append('\n');
        }
        sh.append("n=$(wc -l < \"$batch.list\")\n")
                .append("[ \"$n\" -gt 0 ] || exit 0\n")
                .append("printf '#!/bin/sh\\nlist=%s\\n%s' \"$PWD/$batch.list\" ")
                .append(quote(ELEMENT))
                .append(" >| \"$batch.sh\"\n")
                .append(
                        "j=$(sbatch --parsable --array=0-$((n - 1)) -J caravan -D \"$PWD\" -o \"$PWD/.slurm/%A_%a.out\"")
                .append(options.args().stream().map(a -> " " + quote(a)).collect(Collectors.joining()))
                .append(" \"$batch.sh\") || exit 93\n")
                .append("j=${j%%;*}\n")
                .append(
                        "i=0; while IFS= read -r id; do echo \"${j}_$i ok\" >| \"$id/slurm\"; i=$((i + 1)); done < \"$batch.list\"\n")
                .append("echo \"@@array $j\"\n");
        return sh.toString();
    }

    /**
     * One line per job: "ID M" (missing) or "ID EXIT SLURMID" ("-" for what is not there yet); then
     * "@@squeue" and one squeue call for every array involved ("SLURMID STATE"; a FAILED job that Slurm killed for
     * its memory as OUT_OF_MEMORY); then "@@sizes" and the logs' sizes.
     */
    static String poll(String base, List<String> ids) {
        String r = ShellSnippets.READ_MARKED;
        return "cd " + quote(base) + " 2>/dev/null || exit 0\nall=\n"
                + "for j in " + ShellSnippets.words(ids) + "; do\n"
                + "  if [ ! -d \"$j\" ]; then echo \"$j M\"; continue; fi\n"
                + "  f=\"$j/exit\"; " + r + "; e=${t:--}\n"
                + "  f=\"$j/slurm\"; " + r + "; s=${t:--}\n"
                + "  echo \"$j $e $s\"\n"
                + "  a=${s%%_*}; [ \"$a\" = - ] || case \",$all,\" in *\",$a,\"*) ;; *) all=\"$all,$a\" ;; esac\n"
                + "done\n"
                + "echo @@squeue\n"
                // a job Slurm has forgotten is reported as unknown; any other squeue failure fails the poll
                + "if [ -n \"$all\" ]; then out=$(squeue --states=all -h -r -o '%i %T' -j \"${all#,}\" 2>&1) || case \"$out\" in\n"
                + "  *'Invalid job id'*) out= ;; *) echo \"squeue: $out\" >&2; exit 94 ;; esac\n"
                + "  printf '%s\\n' \"$out\" | while read -r i st; do case \"$st\" in\n"
                // killed for its memory where Slurm's memory watch is its sampling (OverMemoryKill), not a cgroup: the
                // state is FAILED, and only the job's Slurm output (%A_%a.out, beside the batch lists) says why
                + "    FAILED*) if grep -qs -e " + quote(MEMORY_KILLED)
                + " -e 'oom-kill' \".slurm/$i.out\"; then st=OUT_OF_MEMORY; fi ;;\n"
                + "  esac; [ -z \"$i\" ] || echo \"$i $st\"; done\nfi\n"
                + "echo @@sizes\n"
                + ShellSnippets.statSizes(ShellSnippets.logs(ids))
                + "exit 0\n";
    }

    /** scancel for the jobs' Slurm ids: TERM (Slurm sends KILL after its KillWait), or KILL at once. */
    static String cancel(String base, List<String> ids, boolean force) {
        return "cd " + quote(base) + " || exit 0\nset --\nfor j in " + ShellSnippets.words(ids) + "; do\n"
                + "  f=\"$j/slurm\"; " + ShellSnippets.READ_MARKED + "; [ -n \"$t\" ] && set -- \"$@\" \"$t\"\n"
                + "done\n[ $# -eq 0 ] || scancel" + (force ? " -s KILL" : "") + " \"$@\"\nexit 0\n";
    }
}
