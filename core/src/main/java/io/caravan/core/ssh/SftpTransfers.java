package io.caravan.core.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;

import io.caravan.spi.posix.ShellQuote;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHPosixRenameExtension;

/**
 * File transfer over SFTP on a leased session. An upload first asks the host for the file's SHA-256 and
 * sends nothing when it matches; otherwise it writes a temporary name and renames it into place, so a
 * reader never sees half a file.
 */
final class SftpTransfers {
    private SftpTransfers() {
    }

    static UploadResult upload(Lease lease, Path local, String remote, Duration timeout) {
        String hash = sha256(local);
        if (hash.equals(remoteSha256(lease, remote, timeout))) {
            return new UploadResult(remote, false, 0, hash);
        }
        String temporary = remote + ".caravan-" + UUID.randomUUID();
        try (SftpClient sftp = open(lease)) {
            try (OutputStream out = sftp.write(temporary)) {
                Files.copy(local, out);
            }
            OpenSSHPosixRenameExtension rename = sftp.getExtension(OpenSSHPosixRenameExtension.class);
            if (rename != null && rename.isSupported()) {
                rename.posixRename(temporary, remote);
            } else {
                sftp.rename(temporary, remote, SftpClient.CopyMode.Overwrite);
            }
            return new UploadResult(remote, true, Files.size(local), hash);
        } catch (IOException e) {
            throw Channels.failure(e, lease, "upload " + local + " to " + remote);
        }
    }

    static long download(Lease lease, String remote, Path local) {
        try (SftpClient sftp = open(lease); InputStream in = sftp.read(remote)) {
            Path partial = local.resolveSibling(local.getFileName() + ".part");
            long bytes = Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, local, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return bytes;
        } catch (IOException e) {
            throw Channels.failure(e, lease, "download " + remote + " to " + local);
        }
    }

    private static SftpClient open(Lease lease) {
        try {
            SftpClient client = SftpClientFactory.instance().createSftpClient(lease.session());
            lease.channelOpened();
            return client;
        } catch (IOException | RuntimeException e) {
            throw Channels.failure(e, lease, "open an SFTP channel");
        }
    }

    /** The remote file's SHA-256, or "" when it is missing or no hashing tool answers. */
    private static String remoteSha256(Lease lease, String remote, Duration timeout) {
        String path = ShellQuote.quote(remote);
        BoundedOutput out = new BoundedOutput(256);
        int code = ExecChannel.run(lease, "sha256sum -- " + path + " 2>/dev/null || shasum -a 256 -- " + path
                + " 2>/dev/null", out, OutputStream.nullOutputStream(), timeout);
        String text = out.text().trim();
        return code == 0 && text.length() >= 64 ? text.substring(0, 64) : "";
    }

    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
