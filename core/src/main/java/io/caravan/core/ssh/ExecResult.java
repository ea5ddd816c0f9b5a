package io.caravan.core.ssh;

import java.time.Duration;

/**
 * What a remote command produced.
 *
 * @param exitCode the command's exit status; 128 + signal number when a signal ended it
 * @param truncated true when output beyond {@link SshSettings#maxCapturedOutput()} was dropped
 */
public record ExecResult(int exitCode, String stdout, String stderr, Duration elapsed, boolean truncated) {

    public boolean succeeded() {
        return exitCode == 0;
    }
}
