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
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;

import io.caravan.spi.posix.ShellQuote;
import org.apache.sshd.sftp.client.SftpClient;
import org.apache.sshd.sftp.client.SftpClientFactory;
import org.apache.sshd.sftp.client.extensions.openssh.OpenSSHPosixRenameExtension;
import org.apache.sshd.sftp.common.SftpConstants;
import org.apache.sshd.sftp.common.SftpException;

/**
 * File transfer over SFTP on a leased session. An upload first asks the host for the file's SHA-256 and
 * sends nothing when it matches; otherwise it writes a temporary name and renames it into place, so a
 * reader never sees half a file. A transfer that fails removes its temporary file on the side it wrote.
 */
final class SftpTransfers {
    private SftpTransfers() {}

    static UploadResult upload(Lease lease, Path local, String remote, Duration timeout) {
        String hash = sha256(local);
        if (hash.equals(remoteSha256(lease, remote, timeout))) {
            return new UploadResult(remote, false, 0, hash);
        }
        String temporary = remote + ".caravan-" + UUID.randomUUID();
        try (SftpClient sftp = open(lease)) {
            try {
                try (OutputStream out = sftp.write(temporary)) {
                    Files.copy(local, out);
                }
                OpenSSHPosixRenameExtension rename = sftp.getExtension(OpenSSHPosixRenameExtension.class);
                if (rename != null && rename.isSupported()) {
                    rename.posixRename(temporary, remote);
                } else {
                    sftp.rename(temporary, remote, SftpClient.CopyMode.Overwrite);
                }
            } catch (IOException | RuntimeException e) {
                removeQuietly(sftp, temporary); // a connection that is gone keeps it: it has a name nobody reads
                throw e;
            }
            return new UploadResult(remote, true, Files.size(local), hash);
        } catch (IOException e) {
            throw Channels.failure(e, lease, "upload " + local + " to " + remote);
        }
    }

    static long download(Lease lease, String remote, Path local) {
        Path partial = local.resolveSibling(local.getFileName() + ".part");
        try (SftpClient sftp = open(lease);
                InputStream in = sftp.read(remote)) {
            long bytes = Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            Files.move(partial, local, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return bytes;
        } catch (IOException e) {
            deleteQuietly(partial);
            throw Channels.failure(e, lease, "download " + remote + " to " + local);
        } catch (RuntimeException e) {
            deleteQuietly(partial);
            throw e;
        }
    }

    /** The regular files directly in a remote directory (links followed), by name; none when it does not exist. */
    static List<RemoteFile> list(Lease lease, String directory) {
        try (SftpClient sftp = open(lease)) {
            List<RemoteFile> files = new ArrayList<>();
            for (SftpClient.DirEntry entry : sftp.readDir(directory)) {
                SftpClient.Attributes attributes = entry.getAttributes();
                if (attributes.isSymbolicLink()) {
                    attributes = statOrNull(sftp, directory + "/" + entry.getFilename());
                }
                if (attributes != null && attributes.isRegularFile()) {
                    files.add(new RemoteFile(entry.getFilename(), attributes.getSize()));
                }
            }
            return files;
        } catch (IOException | UncheckedIOException e) { // readDir's iteration wraps what the server answers
            Throwable cause = e instanceof UncheckedIOException u ? u.getCause() : e;
            if (cause instanceof SftpException sftp && sftp.getStatus() == SftpConstants.SSH_FX_NO_SUCH_FILE) {
                return List.of();
            }
            throw Channels.failure(cause, lease, "list " + directory);
        }
    }

    private static SftpClient.Attributes statOrNull(SftpClient sftp, String path) {
        try {
            return sftp.stat(path);
        } catch (IOException e) {
            return null; // a dangling link is no file
        }
    }

    private static void removeQuietly(SftpClient sftp, String path) {
        try {
            sftp.remove(path);
        } catch (IOException | RuntimeException ignored) {
            // gone already, or the connection is: nothing more can be done from here
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the directory refuses: nothing more can be done from here
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
        int code = ExecChannel.run(
                lease,
                "sha256sum -- " + path + " 2>/dev/null || shasum -a 256 -- " + path + " 2>/dev/null",
                out,
                OutputStream.nullOutputStream(),
                timeout);
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
