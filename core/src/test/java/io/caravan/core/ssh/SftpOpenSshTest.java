package io.caravan.core.ssh;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Random;

import io.caravan.testkit.OpenSshExtension;
import io.caravan.testkit.SshdLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** Acceptance 8: uploading the same file twice transfers its bytes once. */
class SftpOpenSshTest {
    @RegisterExtension
    static final OpenSshExtension SSHD = OpenSshExtension.defaults();

    @TempDir
    Path dir;

    @Test
    void theSameFileUploadedTwiceIsTransferredOnce() throws Exception {
        byte[] content = new byte[300_000];
        new Random(7).nextBytes(content);
        Path local = Files.write(dir.resolve("payload.bin"), content);
        String remote = SSHD.server().workDir().resolve("uploaded.bin").toString();
        SshTarget target = Targets.of(SSHD.server());
        SshdLog log = SSHD.server().log().since(SSHD.server().log().mark());
        try (SshTransport transport = SshTransport.start(SshSettings.defaults())) {
            UploadResult first = transport.upload(target, local, remote);
            // an upload writes a temporary file and renames it: a second transfer would show as a new inode
            Object inode = Files.getAttribute(Path.of(remote), "unix:ino");
            FileTime written = Files.getLastModifiedTime(Path.of(remote));
            UploadResult second = transport.upload(target, local, remote);

            assertThat(Files.getAttribute(Path.of(remote), "unix:ino")).isEqualTo(inode);
            assertThat(Files.getLastModifiedTime(Path.of(remote))).isEqualTo(written);
            assertThat(first.transferred()).isTrue();
            assertThat(first.bytes()).isEqualTo(content.length);
            assertThat(second.transferred()).isFalse();
            assertThat(second.bytes()).isZero();
            assertThat(second.sha256()).isEqualTo(first.sha256());
        }
        assertThat(Files.readAllBytes(Path.of(remote))).isEqualTo(content);
        assertThat(log.acceptedLogins()).isEqualTo(1);
    }

    @Test
    void aChangedFileIsSentAgainAndDownloadsRoundTrip() throws Exception {
        Path local = Files.writeString(dir.resolve("a.txt"), "one");
        String remote = SSHD.server().workDir().resolve("a.txt").toString();
        SshTarget target = Targets.of(SSHD.server());
        try (SshTransport transport = SshTransport.start(SshSettings.defaults())) {
            assertThat(transport.upload(target, local, remote).transferred()).isTrue();
            Files.writeString(local, "two");
            assertThat(transport.upload(target, local, remote).transferred()).isTrue();

            Path back = dir.resolve("back.txt");
            assertThat(transport.download(target, remote, back)).isEqualTo(3);
            assertThat(Files.readString(back)).isEqualTo("two");
        }
    }
}
