package io.caravan.core.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Files 0600 and directories 0700 for what Caravan writes under CARAVAN_HOME (logs hold job output, the home
 * holds the token and the database). Permissions are given at creation, not after, so there is no moment in
 * which another user could open the file. On a file system without POSIX permissions the directory's own
 * protection is all there is.
 */
public final class OwnerOnly {
    public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    public static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private OwnerOnly() {}

    /** Like {@link Files#createDirectories}, each directory it creates 0700. */
    public static Path createDirectories(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath();
        if (Files.isDirectory(absolute)) {
            return dir;
        }
        if (absolute.getParent() != null) {
            createDirectories(absolute.getParent());
        }
        try {
            Files.createDirectory(absolute, attribute(absolute, DIRECTORY));
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(absolute)) {
                throw e;
            }
        }
        return dir;
    }

    /**
     * Writes (or appends, with the options given) bytes to a file created 0600 if it does not exist. One open that
     * creates and truncates: a thousand jobs' logs are a thousand files, and each system call counts.
     */
    public static Path write(Path file, byte[] bytes, OpenOption... options) throws IOException {
        createDirectories(file.toAbsolutePath().getParent());
        Set<OpenOption> open = new HashSet<>(List.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE));
        open.addAll(options.length == 0 ? List.of(StandardOpenOption.TRUNCATE_EXISTING) : List.of(options));
        try (SeekableByteChannel channel = Files.newByteChannel(file, open, attribute(file, FILE))) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
        }
        return file;
    }

    /** An empty 0600 file, unless it exists already. */
    public static void createFile(Path file) throws IOException {
        try {
            Files.createFile(file, attribute(file, FILE));
        } catch (FileAlreadyExistsException e) {
            // kept as it is: it was created by this code, or its mode is checked where it matters
        }
    }

    /** Takes group and others' access away from everything under {@code dir}, itself included (files H2 created). */
    public static void tighten(Path dir) throws IOException {
        if (!posix(dir)) {
            return;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.toList()) {
                if (Files.isSymbolicLink(p)) {
                    continue;
                }
                Set<PosixFilePermission> mode = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
                Set<PosixFilePermission> owner = Files.isDirectory(p) ? DIRECTORY : FILE;
                if (!owner.containsAll(mode) || Files.isDirectory(p) && !mode.containsAll(owner)) {
                    mode.retainAll(owner);
                    if (Files.isDirectory(p)) {
                        mode.addAll(DIRECTORY);
                    }
                    Files.setPosixFilePermissions(p, mode);
                }
            }
        }
    }

    /** Whether group or others may write to {@code path} (false where there are no POSIX permissions). */
    public static boolean othersMayWrite(Path path) throws IOException {
        if (!posix(path)) {
            return false;
        }
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(path);
        return mode.contains(PosixFilePermission.GROUP_WRITE) || mode.contains(PosixFilePermission.OTHERS_WRITE);
    }

    /** Whether group or others may read or enter {@code path}. */
    public static boolean othersMayRead(Path path) throws IOException {
        if (!posix(path)) {
            return false;
        }
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(path);
        return mode.contains(PosixFilePermission.GROUP_READ)
                || mode.contains(PosixFilePermission.OTHERS_READ)
                || mode.contains(PosixFilePermission.GROUP_EXECUTE)
                || mode.contains(PosixFilePermission.OTHERS_EXECUTE);
    }

    public static String mode(Path path) throws IOException {
        return posix(path) ? PosixFilePermissions.toString(Files.getPosixFilePermissions(path)) : "?";
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static FileAttribute<?>[] attribute(Path path, Set<PosixFilePermission> mode) {
        return posix(path)
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(mode)}
                : new FileAttribute<?>[0];
    }
}
