package io.caravan.core.staging;

import static io.caravan.spi.posix.ShellQuote.quote;

import java.time.Duration;
import java.util.Collection;
import java.util.stream.Collectors;

import io.caravan.core.ssh.ExecOptions;
import io.caravan.core.ssh.ExecResult;
import io.caravan.core.ssh.SshTarget;
import io.caravan.core.ssh.SshTransport;

/**
 * The job directory as staging sees it before the job starts. It is made (0700) with its {@code owner} marker
 * written first, before any file is sent: a directory that a dropped connection leaves behind is then one the
 * protocol's cleanup and sweep recognise as Caravan's and remove (no {@code .started}, so no job runs in it).
 */
public final class StagingDirectory {
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    private final SshTransport transport;

    public StagingDirectory(SshTransport transport) {
        this.transport = transport;
    }

    /**
     * Makes the job directory and the directories the staged files go into, marked as the job's.
     *
     * @return false when the job has started already (an attempt taken up again): nothing is to be staged in
     */
    public boolean prepare(SshTarget target, String jobDir, String owner, Collection<String> directories) {
        String dirs = directories.stream().map(d -> quote(d)).collect(Collectors.joining(" "));
        String script = "umask 077; d=" + quote(jobDir) + "\n"
                + "mkdir -p \"$d\" || exit 3\n"
                + "if [ -e \"$d/.started\" ]; then echo started; exit 0; fi\n"
                + "printf '%s\\n' " + quote(owner)
                + " > \"$d/owner.$$\" && mv -f \"$d/owner.$$\" \"$d/owner\" || exit 4\n"
                + (dirs.isEmpty() ? "" : "mkdir -p -- " + dirs + " || exit 5\n")
                + "echo ready\n";
        ExecResult result = transport.exec(
                target, "sh -c " + quote(script), ExecOptions.timeout(TIMEOUT).mayRunTwice());
        if (!result.succeeded()) {
            throw new StagingException(
                    "stage_in: cannot make the job directory " + jobDir + " on " + target.hostAndPort() + " (exit "
                            + result.exitCode() + "): " + result.stderr().strip());
        }
        return !result.stdout().contains("started");
    }

    /** Removes a job directory whose job never started; false when the host could not be asked. */
    public boolean discard(SshTarget target, String jobDir) {
        String script = "d=" + quote(jobDir) + "; [ -e \"$d/.started\" ] || rm -rf -- \"$d\"";
        try {
            return transport
                    .exec(
                            target,
                            "sh -c " + quote(script),
                            ExecOptions.timeout(TIMEOUT).mayRunTwice())
                    .succeeded();
        } catch (RuntimeException e) {
            return false;
        }
    }
}
