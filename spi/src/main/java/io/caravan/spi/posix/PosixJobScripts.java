package io.caravan.spi.posix;

import static io.caravan.spi.posix.ShellQuote.quote;
import static io.caravan.spi.posix.ShellSnippets.exports;
import static io.caravan.spi.posix.ShellSnippets.logs;
import static io.caravan.spi.posix.ShellSnippets.statSizes;
import static io.caravan.spi.posix.ShellSnippets.words;

import java.util.List;
import java.util.function.Predicate;

import io.caravan.spi.JobSpec;
import io.caravan.spi.LogRange;

/**
 * The shell side of the job protocol (SPEC §4), one command per batch of jobs. A job directory
 * {@code <base>/<id>/} holds {@code script}, {@code owner}, {@code log} (stdout and stderr), {@code pgid} (the
 * kill target: {@code -PGID}, or a PID where setsid is missing) and {@code exit}: five files, since creating a
 * file is what a batch's start costs most on the host after its processes. The job's environment is not a file:
 * the shell that starts the job exports it, so it never rests on the host's disk. The
 * {@code pgid} and {@code exit} files end with the word "ok": a reader that does not find it has caught the
 * file being written and treats the job as still starting or still running, so no reader ever acts on half
 * a file. (A rename would give the same guarantee at the price of one {@code mv} process per file, and
 * process creation dominates the cost of a thousand-job batch.) Only POSIX sh is assumed.
 */
final class PosixJobScripts {
    /** Runs as the session leader of the job's process group; $1 is the job directory. */
    private static final String WRAPPER = String.join(
            "\n",
            "cd \"$1\" || exit 97",
            "if [ \"$2\" = group ]; then echo \"-$$ ok\" > pgid; else echo \"$$ ok\" > pgid; fi",
            "CARAVAN_JOB_DIR=\"$PWD\"; CARAVAN_OUTPUTS=\"$PWD/outputs.json\"; export CARAVAN_JOB_DIR CARAVAN_OUTPUTS",
            // a subshell, not a new sh: a fork without an exec, about half the cost per job; the script sees no
            // arguments of the wrapper's and its exit (or exit code) ends the subshell alone
            "(set --; . ./script) > log 2>&1 < /dev/null",
            "echo \"$? ok\" > exit",
            "");

    private static final String READ_MARKED = ShellSnippets.READ_MARKED;
    /** The one line of a sweep that refused its base. */
    static final String SWEEP_REFUSED = "! refused: the base is the root or the home directory:";

    private PosixJobScripts() {}

    /**
     * Creates each job's directory and starts it; a job whose {@code script} exists is adopted instead, so a
     * repeated submit never starts a job twice (the script is the start marker: written with noclobber, which is
     * atomic, by a regular builtin, whose failed redirection does not end the shell as ':' would; staging writes
     * only the owner marker and the job's inputs before it). Directories are made by one mkdir for the batch and
     * files written with the printf builtin; each job costs one fork and the exec of setsid and its shell, and one
     * more fork for the script's subshell. The fork that execs setsid first evaluates the job's exports, so the
     * wrapper inherits them. Prints "started ID" or "adopted ID".
     */
    static String submit(String base, List<JobSpec> jobs) {
        StringBuilder sh = new StringBuilder();
        sh.append("set -u\nbase=").append(quote(base)).append("\nmkdir -p \"$base\" && cd \"$base\" || exit 90\n");
        sh.append("printf '%s' ")
                .append(quote(WRAPPER))
                .append(" >| .wrapper.$$ && mv -f .wrapper.$$ .wrapper || exit 91\n");
        // CARAVAN_NO_SETSID=1 in the login's environment takes the nohup fallback where setsid exists (tests)
        sh.append(
                "if [ -z \"${CARAVAN_NO_SETSID:-}\" ] && command -v setsid >/dev/null 2>&1; then mode=group; else mode=pid; fi\n");
        sh.append("mkdir -p ")
                .append(words(jobs.stream().map(JobSpec::id).toList()))
                .append(" || exit 92\n");
        sh.append("set -C\n");
        // $1 id, $2 script, $3 env, $4 owner
        sh.append("job() {\n")
                .append("  if ! printf '%s' \"$2\" 2>/dev/null > \"$1/script\"; then echo \"adopted $1\"; return; fi\n")
                .append("  printf '%s\\n' \"$4\" >| \"$1/owner\"\n")
                .append(
                        "  if [ $mode = group ]; then (eval \"$3\"; exec setsid sh .wrapper \"$1\" group) < /dev/null > /dev/null 2>&1 &\n")
                .append("  else (eval \"$3\"; exec nohup sh .wrapper \"$1\" pid) < /dev/null > /dev/null 2>&1 & fi\n")
                .append("  echo \"started $1\"\n")
                .append("}\n");
        for (JobSpec job : jobs) {
            sh.append("job ")
                    .append(quote(job.id()))
                    .append(' ')
                    .append(quote(job.script()))
                    .append(' ')
                    .append(quote(exports(job.env())))
                    .append(' ')
                    .append(quote(job.owner()))
                    .append('\n');
        }
        return sh.toString();
    }

    /**
     * One line per job: "ID M" (missing), or "ID EXIT ALIVE" with EXIT a code or "-" and ALIVE 1/0; then
     * "@@sizes" and one stat line per existing log. Liveness is checked before the exit file is read, so
     * a job that ends between the two reads is seen as ended, never as lost; a job whose pgid file is not
     * complete yet is starting, so alive.
     */
    static String poll(String base, List<String> ids) {
        // a base directory that is gone takes its jobs with it: each is missing (lost), not running until its timeout
        StringBuilder sh = new StringBuilder("cd ")
                .append(quote(base))
                .append(" 2>/dev/null || { for j in ")
                .append(words(ids))
                .append("; do echo \"$j M\"; done; echo @@sizes; exit 0; }\n");
        sh.append("for j in ")
                .append(words(ids))
                .append("; do\n")
                .append("  if [ ! -d \"$j\" ]; then echo \"$j M\"; continue; fi\n")
                .append("  a=0; ")
                .append(alive())
                .append(" && a=1\n")
                .append("  f=\"$j/exit\"; ")
                .append(READ_MARKED)
                .append("; e=${t:--}\n")
                .append("  echo \"$j $e $a\"\n")
                .append("done\n")
                .append("echo @@sizes\n")
                .append(statSizes(logs(ids)))
                .append("exit 0\n");
        return sh.toString();
    }

    /** Succeeds when job $j may still be running: its process group answers, or it is still starting. */
    /**
     * A Slurm job (its directory holds its Slurm id) asks squeue, not {@code kill -0} here: it runs on a compute node.
     * Any squeue answer but "Invalid job id" (Slurm no longer knows it) counts as alive, so a controller that does
     * not answer never gets a running job's directory removed.
     */
    private static String alive() {
        return "{ f=\"$j/slurm\"; " + READ_MARKED + "; if [ -n \"$t\" ]; then "
                + "s=$(squeue -h -o %T -j \"$t\" 2>&1) || case \"$s\" in *'Invalid job id'*) s= ;; esac; [ -n \"$s\" ]; "
                + "else f=\"$j/pgid\"; " + READ_MARKED + "; if [ -n \"$t\" ]; then kill -s 0 -- \"$t\" 2>/dev/null; "
                + "else [ -e \"$j/script\" ] && [ ! -e \"$j/exit\" ]; fi; fi; }";
    }

    /**
     * For each range: "@@ID N" then exactly N bytes of the job's log (a log only grows). Ranges that are
     * whole logs go first, through one cat for all of them, announced as "@@whole TOTAL" once a stat has
     * shown every file still has the expected size; otherwise, and for partial ranges, one head per log.
     */
    static String readLogs(String base, List<LogRange> ranges, Predicate<LogRange> whole) {
        StringBuilder sh = new StringBuilder("cd ").append(quote(base)).append(" || exit 1\n");
        List<LogRange> wholes = ranges.stream().filter(whole).toList();
        if (!wholes.isEmpty()) {
            String files = logs(wholes.stream().map(LogRange::id).toList());
            String expected = String.join(
                    " ",
                    wholes.stream().map(r -> r.length() + " " + r.id() + "/log").toList());
            long total = wholes.stream().mapToLong(LogRange::length).sum();
            sh.append("got=$(")
                    .append(statSizes(files).strip())
                    .append(" | tr '\\n' ' ')\n")
                    .append("if [ \"$got\" = ")
                    .append(quote(expected + " "))
                    .append(" ]; then printf '@@whole %d\\n' ")
                    .append(total)
                    .append("; cat ")
                    .append(files)
                    .append("\nelse\n");
            wholes.forEach(r -> frame(sh, r));
            sh.append("fi\n");
        }
        ranges.stream().filter(whole.negate()).forEach(r -> frame(sh, r));
        return sh.append("exit 0\n").toString();
    }

    /**
     * Announces the bytes the log really has in the range (a log missing or shorter than the poll saw, say one read
     * racing the job's first write, gives fewer, never a frame the reader cannot follow), then sends exactly those.
     */
    private static void frame(StringBuilder sh, LogRange r) {
        String log = quote(r.id() + "/log");
        sh.append("n=$(wc -c 2>/dev/null < ")
                .append(log)
                .append("); n=$(( ${n:-0} - ")
                .append(r.offset())
                .append(" )); [ $n -lt 0 ] && n=0; [ $n -gt ")
                .append(r.length())
                .append(" ] && n=")
                .append(r.length())
                .append('\n');
        sh.append("printf '@@%s %d\\n' ").append(quote(r.id())).append(" $n\n");
        sh.append("[ $n -gt 0 ] && ")
                .append(
                        r.offset() == 0
                                ? "head -c $n " + log
                                : "tail -c +" + (r.offset() + 1) + " " + log + " | head -c $n")
                .append('\n');
    }

    /** For each job with an outputs.json: "@@ID N" then its N bytes. */
    static String outputs(String base, List<String> ids, int maxBytes) {
        return "cd " + quote(base) + " || exit 0\nfor j in " + words(ids) + "; do\n"
                + "  f=\"$j/outputs.json\"; [ -f \"$f\" ] || continue\n"
                + "  n=$(wc -c < \"$f\"); n=$((n + 0)); [ \"$n\" -gt " + maxBytes + " ] && n=" + maxBytes + "\n"
                + "  printf '@@%s %d\\n' \"$j\" \"$n\"; head -c \"$n\" \"$f\"\n"
                + "done\nexit 0\n";
    }

    /**
     * A process group ("-PGID") is signalled whole. Under the nohup fallback a job has no group of its own (POSIX sh
     * cannot make one without a terminal), so its wrapper and every descendant of it are signalled: found with
     * POSIX {@code ps -A -o pid= -o ppid=}, so nothing the job started is left.
     */
    static String cancel(String base, List<String> ids, boolean force) {
        String signal = force ? "KILL" : "TERM";
        return "cd " + quote(base) + " || exit 0\n"
                + "tree() { ps -A -o pid= -o ppid= | awk -v r=\"$1\" '{ p[$1] = $2 } END { s[r] = 1; c = 1;"
                + " while (c) { c = 0; for (x in p) if (!(x in s) && (p[x] in s)) { s[x] = 1; c = 1 } }"
                + " for (x in s) printf \"%s \", x }'; }\n"
                + "for j in " + words(ids) + "; do\n"
                + "  f=\"$j/pgid\"; " + READ_MARKED + "; [ -n \"$t\" ] || continue\n"
                + "  case \"$t\" in -*) kill -s " + signal + " -- \"$t\" 2>/dev/null && echo \"signalled $j\" ;;\n"
                + "    *) kill -s STOP $t 2>/dev/null; kill -s " + signal
                + " $(tree \"$t\") 2>/dev/null && echo \"signalled $j\";"
                + " kill -s CONT $t 2>/dev/null ;; esac\n"
                + "done\nexit 0\n";
    }

    /**
     * Removes a job directory once the job has ended: it wrote its exit code, or its process group is gone.
     * Never a running job's. (Exited processes may linger as zombies a moment; the exit file settles it.)
     */
    static String cleanup(String base, List<String> ids) {
        return "cd " + quote(base) + " || exit 0\nset --\nfor j in " + words(ids) + "; do\n"
                + "  if [ ! -d \"$j\" ]; then echo \"$j gone\"; continue; fi\n"
                + "  f=\"$j/exit\"; " + READ_MARKED + "\n"
                + "  if [ -z \"$t\" ] && " + alive() + "; then echo \"$j running\"; continue; fi\n"
                + "  set -- \"$@\" \"$j\"\n"
                + "done\n"
                // one rm for the whole batch, then each directory checked on its own
                + "[ $# -gt 0 ] && rm -rf -- \"$@\" 2>/dev/null\n"
                // what is left is tried once more on its own, so that the debt says what rm said
                + "for j in \"$@\"; do if [ -e \"$j\" ]; then why=$(rm -rf -- \"$j\" 2>&1 | head -c 300 | tr '\\n' ' ');"
                + " echo \"$j undeletable: ${why:-still there}\"; else echo \"$j removed\"; fi; done\n"
                + "exit 0\n";
    }

    /**
     * Removes job directories whose owner marker parses fully and names their job ({@link OwnerMarker}), that
     * were last changed more than {@code ttlMinutes} ago and whose job is not running. Prints
     * "ID removed|undeletable|running|would-remove|not-ours"; or only {@link #SWEEP_REFUSED} and the directory when
     * the base is, once links are resolved, the root or the login's home directory.
     */
    static String sweep(String base, long ttlMinutes, boolean dryRun) {
        return "cd " + quote(base) + " 2>/dev/null || exit 0\n"
                + "here=$(pwd -P); home=$(cd && pwd -P)\n"
                + "if [ \"$here\" = / ] || [ \"$here\" = \"$home\" ]; then echo \"" + SWEEP_REFUSED
                + " $here\"; exit 0; fi\n"
                + "find . -mindepth 1 -maxdepth 1 -type d -mmin +" + ttlMinutes + " | while IFS= read -r d; do\n"
                + "  j=${d#./}; " + OwnerMarker.SHELL_CHECK + "\n"
                + "  [ -n \"$ours\" ] || { echo \"$j not-ours\"; continue; }\n"
                + "  f=\"$j/exit\"; " + READ_MARKED + "\n"
                + "  if [ -z \"$t\" ] && [ -f \"$j/pgid\" ] && " + alive()
                + "; then echo \"$j running\"; continue; fi\n"
                + (dryRun
                        ? "  echo \"$j would-remove\"\n"
                        : "  rm -rf -- \"$j\" 2>/dev/null; if [ -e \"$j\" ]; then echo \"$j undeletable\"; else echo \"$j removed\"; fi\n")
                + "done\nexit 0\n";
    }
}
