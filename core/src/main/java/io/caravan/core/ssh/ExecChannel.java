package io.caravan.core.ssh;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runs one command on a leased session and waits for its exit status, no longer than its timeout. */
final class ExecChannel {
    private static final Logger LOG = LoggerFactory.getLogger(ExecChannel.class);

    private ExecChannel() {}

    static int run(Lease lease, String command, OutputStream out, OutputStream err, Duration timeout) {
        return run(lease, command, null, out, err, timeout);
    }

    /** @param stdin bytes for the command's standard input, then end of file; null for none */
    static int run(Lease lease, String command, byte[] stdin, OutputStream out, OutputStream err, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        ChannelExec channel;
        try {
            channel = lease.session().createExecChannel(command);
        } catch (IOException | RuntimeException e) {
            throw Channels.failure(e, lease, "create an exec channel");
        }
        boolean timedOut = false;
        try {
            channel.setOut(out);
            channel.setErr(err);
            Channels.open(channel, lease, remaining(deadline));
            // then EOF on stdin: a command that reads input finishes instead of hanging on us
            try (OutputStream in = channel.getInvertedIn()) {
                if (stdin != null) {
                    in.write(stdin);
                }
            }
            Set<ClientChannelEvent> events =
                    channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), remaining(deadline));
            if (!events.contains(ClientChannelEvent.CLOSED)) {
                timedOut = true;
                Channels.signal(channel, "TERM");
                throw new SshFailure(
                        FailureKind.COMMAND_TIMEOUT,
                        "command on " + lease.target() + " exceeded its " + timeout.toMillis()
                                + " ms timeout; it was sent SIGTERM and its channel closed");
            }
            int exit = exitCode(channel, lease);
            if (LOG.isDebugEnabled()) {
                // never the command's text: it may hold secrets
                LOG.debug(
                        "{} exit {} in {} ms, command of {} chars, {} bytes of input",
                        lease.target(),
                        exit,
                        (System.nanoTime() - (deadline - timeout.toNanos())) / 1_000_000,
                        command.length(),
                        stdin == null ? 0 : stdin.length);
            }
            return exit;
        } catch (IOException e) {
            throw Channels.failure(e, lease, "run a command");
        } finally {
            channel.close(timedOut);
        }
    }

    private static int exitCode(ChannelExec channel, Lease lease) {
        Integer status = channel.getExitStatus();
        if (status != null) {
            return status;
        }
        if (channel.getExitSignal() != null) {
            return Channels.exitCodeForSignal(channel.getExitSignal());
        }
        throw Channels.failure(new IOException("channel closed without an exit status"), lease, "run a command");
    }

    private static Duration remaining(long deadlineNanos) {
        return Duration.ofNanos(Math.max(1_000_000, deadlineNanos - System.nanoTime()));
    }
}
