package io.caravan.core.ssh;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;

import org.apache.sshd.client.channel.ClientChannel;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.SshConstants;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.util.buffer.Buffer;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/** Opening, signalling and classifying the failures of channels on a pooled session. */
final class Channels {
    private static final Map<String, Integer> SIGNALS = Map.ofEntries(
            Map.entry("HUP", 1),
            Map.entry("INT", 2),
            Map.entry("QUIT", 3),
            Map.entry("ILL", 4),
            Map.entry("ABRT", 6),
            Map.entry("FPE", 8),
            Map.entry("KILL", 9),
            Map.entry("USR1", 10),
            Map.entry("SEGV", 11),
            Map.entry("USR2", 12),
            Map.entry("PIPE", 13),
            Map.entry("ALRM", 14),
            Map.entry("TERM", 15));

    private Channels() {}

    static void open(ClientChannel channel, Lease lease, Duration limit) {
        try {
            channel.open().verify(limit);
        } catch (IOException | RuntimeException e) {
            throw failure(e, lease, "open a channel");
        }
        lease.channelOpened();
    }

    static SshFailure failure(Throwable error, Lease lease, String doing) {
        if (error instanceof SshFailure f) {
            return f;
        }
        ClientSession session = lease.session();
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SftpException sftp && sftp.getStatus() == SftpConstants.SSH_FX_PERMISSION_DENIED) {
                return new SshFailure(
                        FailureKind.PERMISSION,
                        "cannot " + doing + " on " + lease.target() + ": permission denied (" + sftp.getMessage() + ")",
                        error);
            }
            if (t instanceof SshChannelOpenException refused) {
                return new SshFailure(
                        FailureKind.CHANNEL_REFUSED,
                        lease.target() + " refused a channel (code " + refused.getReasonCode() + ": "
                                + refused.getMessage() + "); sshd's MaxSessions?",
                        error);
            }
        }
        if (!session.isOpen() || session.isClosing()) {
            return new SshFailure(
                    FailureKind.CONNECTION_LOST,
                    "connection to " + lease.target() + " lost while trying to " + doing,
                    error);
        }
        return new SshFailure(
                FailureKind.TRANSPORT,
                "cannot " + doing + " on " + lease.target() + ": " + FailureClassifier.rootMessage(error),
                error);
    }

    /** RFC 4254 §6.9; OpenSSH honours it for exec sessions, which is all we can do to stop a remote command. */
    static void signal(ClientChannel channel, String signal) {
        try {
            Buffer buffer = channel.getSession().createBuffer(SshConstants.SSH_MSG_CHANNEL_REQUEST, 32);
            buffer.putUInt(channel.getRecipient());
            buffer.putString("signal");
            buffer.putBoolean(false);
            buffer.putString(signal);
            channel.writePacket(buffer);
        } catch (IOException | RuntimeException e) {
            // the channel is being torn down anyway
        }
    }

    /** 128 + n, as a shell reports a command that signal n ended. */
    static int exitCodeForSignal(String signal) {
        return 128 + SIGNALS.getOrDefault(signal, 0);
    }
}
