package io.caravan.core.jobs;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import io.caravan.core.ssh.ExecOptions;
import io.caravan.core.ssh.SshTarget;
import io.caravan.core.ssh.SshTransport;
import io.caravan.spi.posix.PosixShellJobBackend;
import io.caravan.spi.posix.ShellRunner;

/** The job protocol on a POSIX host over the pooled SSH transport: every script is one exec channel. */
public final class PosixSshJobBackend extends PosixShellJobBackend {
    public PosixSshJobBackend(SshTransport transport, SshTarget target, String base, Duration commandTimeout) {
        super(runner(transport, target, commandTimeout), target.toString(), base);
    }

    /** {@code sh -s} with the script on stdin; protocol scripts are idempotent, so a retried channel is safe. */
    public static ShellRunner runner(SshTransport transport, SshTarget target, Duration timeout) {
        return script -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = transport.stream(
                    target,
                    "sh -s",
                    script.getBytes(StandardCharsets.UTF_8),
                    out,
                    err,
                    ExecOptions.timeout(timeout).mayRunTwice());
            if (code != 0) {
                throw new IllegalStateException("job protocol command on " + target + " exited " + code + ": "
                        + err.toString(StandardCharsets.UTF_8).strip());
            }
            return out.toByteArray();
        };
    }
}
