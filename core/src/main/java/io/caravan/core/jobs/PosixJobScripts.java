package io.caravan.core.jobs;

import static io.caravan.core.shell.ShellQuote.quote;

import java.util.List;
import java.util.Map;

import io.caravan.core.shell.ShellQuote;
import io.caravan.spi.JobSpec;
import io.caravan.spi.LogRange;

/**
 * The shell side of the job protocol (SPEC §4), one command per batch of jobs. A job directory
 * {@code <base>/<id>/} holds {@code script}, {@code env}, {@code owner}, {@code log} (stdout and stderr),
 * {@code pgid} (the kill target: {@code -PGID}, or a PID where setsid is missing) and {@code exit}, which is
 * written to a temporary name and renamed, so a reader never sees half of it. Only POSIX sh is assumed.
 */
final class PosixJobScripts {
    /** Runs in the job directory as the session leader of the job's process group. */
    private static final String WRAPPER = String.join("\n",
            "if [ \"${1:-}\" = group ]; then echo \"-$$\" > pgid.tmp; else echo \"$$\" > pgid.tmp; fi",
            "mv pgid.tmp pgid",
            ". ./env",
            "CARAVAN_JOB_DIR=\"$PWD\"; CARAVAN_OUTPUTS=\"$PWD/outputs.json\"; export CARAVAN_JOB_DIR CARAVAN_OUTPUTS",
            "sh ./script > log 2>&1 < /dev/null",
            "code=$?",
            "echo \"$code\" > exit.tmp && mv exit.tmp exit",
            "");

    private PosixJobScripts() {
    }

    /**
     * Creates each job's directory and starts it; a job whose directory exists with its {@code .started}
     * marker is adopted instead, so a repeated submit never starts a job twice. Files are written with the
     * printf builtin and the start is one subshell, about two processes per job: a thousand jobs start
     * in one command without a thousand forks of cat, mv and cp. Prints "started ID" or "adopted ID".
     */
    static String submit(String base, List<JobSpec> jobs) {
        StringBuilder sh = new StringBuilder();
        sh.append("set -u\nbase=").append(quote(base)).append("\nmkdir -p \"$base\" && cd \"$base\" || exit 90\n");
        sh.append("printf '%s' ").append(quote(WRAPPER)).append(" > .wrapper.tmp && mv .wrapper.tmp .wrapper || exit 91\n");
        sh.append("if command -v setsid >/dev/null 2>&1; then mode=group; else mode=pid; fi\n");
        // $1 id, $2 script, $3 env, $4 owner
        sh.append("job() {\n")
                .append("  if ! mkdir \"$1\" 2>/dev/null && [ -e \"$1/.started\" ]; then echo \"adopted $1\"; return; fi\n")
                .append("  printf '%s' \"$2\" > \"$1/script\"; printf '%s' \"$3\" > \"$1/env\"; printf '%s\\n' \"$4\" > \"$1/owner\"\n")
                .append("  : > \"$1/.started\"\n")
                .append("  if [ $mode = group ]; then (cd \"$1\" && exec setsid sh ../.wrapper group) < /dev/null > /dev/null 2>&1 &\n")
                .append("  else (cd \"$1\" && exec nohup sh ../.wrapper pid) < /dev/null > /dev/null 2>&1 & fi\n")
                .append("  echo \"started $1\"\n")
                .append("}\n");
        for (JobSpec job : jobs) {
            sh.append("job ").append(quote(job.id())).append(' ').append(quote(job.script())).append(' ')
                    .append(quote(exports(job.env()))).append(' ').append(quote(job.owner())).append('\n');
        }
        return sh.toString();
    }

    /**
     * One line per job: "ID M" (missing), or "ID EXIT ALIVE" with EXIT a code or "-" and ALIVE 1/0; then
     * "@@sizes" and one stat line per existing log. Liveness is checked before the exit file is read, so
     * a job that ends between the two reads is seen as ended, never as lost.
     */
    static String poll(String base, List<String> ids) {
        StringBuilder sh = new StringBuilder("cd ").append(quote(base)).append(" 2>/dev/null || exit 0\n");
        sh.append("for j in ").append(words(ids)).append("; do\n")
                .append("  if [ ! -d \"$j\" ]; then echo \"$j M\"; continue; fi\n")
                .append("  a=0; if [ -f \"$j/pgid\" ]; then read t < \"$j/pgid\"; kill -s 0 -- \"$t\" 2>/dev/null && a=1; ")
                .append("elif [ -e \"$j/.started\" ]; then a=1; fi\n")
                .append("  e=-; if [ -f \"$j/exit\" ]; then read e < \"$j/exit\"; fi\n")
                .append("  echo \"$j $e $a\"\n")
                .append("done\n")
                .append("echo @@sizes\n")
                // GNU stat or BSD stat, chosen once; a log not created yet is simply absent from the list
                .append("if stat -c %s / >/dev/null 2>&1; then stat -c '%s %n' ").append(logs(ids))
                .append(" 2>/dev/null; else stat -f '%z %N' ").append(logs(ids)).append(" 2>/dev/null; fi\n")
                .append("exit 0\n");
        return sh.toString();
    }

    /** For each range: "@@ID N" then exactly N bytes of the job's log (a log only grows). */
    static String readLogs(String base, List<LogRange> ranges) {
        StringBuilder sh = new StringBuilder("cd ").append(quote(base)).append(" || exit 1\n");
        for (LogRange r : ranges) {
            sh.append("printf '@@%s %d\\n' ").append(quote(r.id())).append(' ').append(r.length()).append('\n');
            if (r.length() > 0) {
                String log = quote(r.id() + "/log");
                sh.append(r.offset() == 0 ? "head -c " + r.length() + " " + log
                        : "tail -c +" + (r.offset() + 1) + " " + log + " | head -c " + r.length()).append('\n');
            }
        }
        return sh.append("exit 0\n").toString();
    }

    /** For each job with an outputs.json: "@@ID N" then its N bytes. */
    static String outputs(String base, List<String> ids, int maxBytes) {
        return "cd " + quote(base) + " || exit 0\nfor j in " + words(ids) + "; do\n"
                + "  f=\"$j/outputs.json\"; [ -f \"$f\" ] || continue\n"
                + "  n=$(wc -c < \"$f\"); n=$((n + 0)); [ \"$n\" -gt " + maxBytes + " ] && n=" + maxBytes + "\n"
                + "  printf '@@%s %d\\n' \"$j\" \"$n\"; head -c \"$n\" \"$f\"\n"
                + "done\nexit 0\n";
    }

    static String cancel(String base, List<String> ids, boolean force) {
        return "cd " + quote(base) + " || exit 0\nfor j in " + words(ids) + "; do\n"
                + "  [ -f \"$j/pgid\" ] || continue; read t < \"$j/pgid\"; kill -s " + (force ? "KILL" : "TERM")
                + " -- \"$t\" 2>/dev/null && echo \"signalled $j\"\ndone\nexit 0\n";
    }

    /**
     * Removes a job directory once the job has ended: it wrote its exit code, or its process group is gone.
     * Never a running job's. (Exited processes may linger as zombies a moment; the exit file settles it.)
     */
    static String cleanup(String base, List<String> ids) {
        return "cd " + quote(base) + " || exit 0\nset --\nfor j in " + words(ids) + "; do\n"
                + "  if [ ! -d \"$j\" ]; then echo \"$j gone\"; continue; fi\n"
                + "  if [ ! -f \"$j/exit\" ]; then\n"
                + "    if [ -f \"$j/pgid\" ]; then read t < \"$j/pgid\"; if kill -s 0 -- \"$t\" 2>/dev/null; then echo \"$j running\"; continue; fi\n"
                + "    elif [ -e \"$j/.started\" ]; then echo \"$j starting\"; continue; fi\n"
                + "  fi\n"
                + "  set -- \"$@\" \"$j\"\n"
                + "done\n"
                // one rm for the whole batch, then each directory checked on its own
                + "[ $# -gt 0 ] && rm -rf -- \"$@\" 2>/dev/null\n"
                + "for j in \"$@\"; do if [ -e \"$j\" ]; then echo \"$j undeletable\"; else echo \"$j removed\"; fi; done\n"
                + "exit 0\n";
    }

    private static String exports(Map<String, String> env) {
        StringBuilder sb = new StringBuilder();
        env.forEach((k, v) -> sb.append("export ").append(ShellQuote.envName(k)).append('=').append(quote(v)).append('\n'));
        return sb.toString();
    }

    private static String words(List<String> ids) {
        return String.join(" ", ids.stream().map(ShellQuote::quote).toList());
    }

    private static String logs(List<String> ids) {
        return String.join(" ", ids.stream().map(id -> quote(id + "/log")).toList());
    }
}
