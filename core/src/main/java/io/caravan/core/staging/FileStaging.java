package io.caravan.core.staging;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;

import io.caravan.core.ssh.RemoteFile;
import io.caravan.core.ssh.SshTarget;
import io.caravan.core.ssh.SshTransport;
import io.caravan.core.ssh.UploadResult;
import io.caravan.core.storage.OwnerOnly;

/**
 * Moves a job's declared files over SFTP on the pooled connection. In: each file through the transport's upload,
 * which skips a file whose SHA-256 on the host already matches and writes the others under a temporary name
 * renamed into place. Out: every file downloaded to a temporary name next to its destination first, and all
 * renamed into place only once all have arrived, so a failure leaves none of them (and no temporary) here.
 * Fetched files are 0600 and directories made for them 0700. Each direction reports its file count and total
 * size, then what it did, as lines for the task's log.
 */
public final class FileStaging {
    private final SshTransport transport;

    public FileStaging(SshTransport transport) {
        this.transport = transport;
    }

    /** A local file and where it goes on the host. */
    public record Upload(Path local, String remote, long size) {}

    /** What a direction moved: files sent or fetched, those skipped as unchanged, bytes over the wire. */
    public record Report(int files, int unchanged, long bytes) {}

    /** The local files of the stage_in lines and their places on the host; a declared file missing is an error. */
    public static List<Upload> uploads(List<StageEntry> entries, Path localBase, String jobDir) {
        List<Upload> uploads = new ArrayList<>();
        for (StageEntry e : entries) {
            List<Path> files = localMatches(localBase.resolve(e.from()), e.glob());
            if (files.isEmpty() && !e.optional()) {
                throw new StagingException("stage_in: " + (e.glob() ? "no file matches " : "no such file: ")
                        + localBase.resolve(e.from()));
            }
            for (Path file : files) {
                String to = e.toDirectory()
                        ? join(e.to() == null ? "" : e.to(), file.getFileName().toString())
                        : e.to();
                if (!to.startsWith("/") && StageEntry.PROTOCOL_FILES.contains(to.split("/", 2)[0])) {
                    throw new StagingException("stage_in: " + to
                            + " is a file of the job protocol in the job directory;" + " give the line a 'to'");
                }
                uploads.add(new Upload(file, remote(jobDir, to), size(file)));
            }
        }
        return uploads;
    }

    /** The directories on the host the uploads go into (the job directory's own made with it). */
    public static Set<String> directories(List<Upload> uploads, String jobDir) {
        Set<String> dirs = new LinkedHashSet<>();
        uploads.forEach(u -> {
            String parent = StageEntry.parent(u.remote());
            if (!parent.equals(jobDir) && !parent.isEmpty()) {
                dirs.add(parent);
            }
        });
        return dirs;
    }

    public Report stageIn(SshTarget target, List<Upload> uploads, Consumer<String> progress) {
        long total = uploads.stream().mapToLong(Upload::size).sum();
        progress.accept("stage_in: " + Sizes.files(uploads.size(), total) + " to " + target.hostAndPort());
        int unchanged = 0;
        long sent = 0;
        for (Upload u : uploads) {
            UploadResult result = transport.upload(target, u.local(), u.remote());
            if (result.transferred()) {
                sent += result.bytes();
            } else {
                unchanged++;
            }
        }
        progress.accept("stage_in: " + (uploads.size() - unchanged) + " sent (" + Sizes.human(sent) + "), " + unchanged
                + " unchanged on the host (same SHA-256), skipped");
        return new Report(uploads.size() - unchanged, unchanged, sent);
    }

    /**
     * Fetches the stage_out lines' files of the job directory {@code jobDir}.
     *
     * @throws StagingException naming the first declared output that is missing (nothing is fetched then)
     */
    public Report stageOut(
            SshTarget target,
            String jobDir,
            List<StageEntry> entries,
            Path localBase,
            boolean required,
            Consumer<String> progress) {
        Map<Path, RemoteFile> wanted = new LinkedHashMap<>();
        Map<Path, String> sources = new HashMap<>();
        Map<String, List<RemoteFile>> listings = new HashMap<>();
        for (StageEntry e : entries) {
            String from = remote(jobDir, e.from());
            String dir = StageEntry.parent(from);
            List<RemoteFile> present = listings.computeIfAbsent(dir, d -> transport.list(target, d));
            PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + StageEntry.name(from));
            List<RemoteFile> matched = present.stream()
                    .filter(f -> e.glob()
                            ? matcher.matches(Path.of(f.name()))
                            : f.name().equals(StageEntry.name(from)))
                    .sorted(Comparator.comparing(RemoteFile::name))
                    .toList();
            if (matched.isEmpty() && required && !e.optional()) {
                throw new StagingException("stage_out: "
                        + (e.glob()
                                ? "no file on " + target.hostAndPort() + " matches "
                                : "declared output missing on " + target.hostAndPort() + ": ")
                        + from);
            }
            for (RemoteFile f : matched) {
                Path to = e.toDirectory() ? localBase.resolve(e.to()).resolve(f.name()) : localBase.resolve(e.to());
                wanted.put(to, f);
                sources.put(to, join(dir, f.name()));
            }
        }
        long total = wanted.values().stream().mapToLong(RemoteFile::size).sum();
        progress.accept("stage_out: " + Sizes.files(wanted.size(), total) + " from " + target.hostAndPort());
        Map<Path, Path> arrived = new LinkedHashMap<>();
        try {
            long bytes = 0;
            for (Path to : wanted.keySet()) {
                OwnerOnly.createDirectories(to.toAbsolutePath().getParent());
                Path temporary = to.resolveSibling("." + to.getFileName() + ".caravan-" + UUID.randomUUID());
                arrived.put(temporary, to);
                bytes += transport.download(target, sources.get(to), temporary);
                if (Files.getFileStore(temporary).supportsFileAttributeView("posix")) {
                    Files.setPosixFilePermissions(
                            temporary, OwnerOnly.FILE); // results may be anything: the owner's alone
                }
            }
            for (Map.Entry<Path, Path> a : arrived.entrySet()) {
                Files.move(
                        a.getKey(), a.getValue(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            progress.accept("stage_out: " + wanted.size() + " fetched (" + Sizes.human(bytes) + ")");
            return new Report(wanted.size(), 0, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("stage_out: cannot write " + e.getMessage(), e);
        } finally {
            arrived.keySet().forEach(FileStaging::deleteQuietly); // moved ones are gone already
        }
    }

    private static List<Path> localMatches(Path path, boolean glob) {
        if (!glob) {
            return Files.isRegularFile(path) ? List.of(path) : List.of();
        }
        Path dir = path.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            return List.of();
        }
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> files =
                Files.newDirectoryStream(dir, path.getFileName().toString())) {
            files.forEach(f -> {
                if (Files.isRegularFile(f)) {
                    found.add(f);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("stage_in: cannot list " + dir, e);
        }
        found.sort(null);
        return found;
    }

    /** A path on the host: absolute as given, else in the job directory. */
    static String remote(String jobDir, String path) {
        return path.startsWith("/") ? path : join(jobDir, path);
    }

    private static String join(String dir, String name) {
        return dir.isEmpty() ? name : dir.endsWith("/") ? dir + name : dir + "/" + name;
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("stage_in: cannot read " + file, e);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // the directory refuses: nothing more can be done from here
        }
    }
}
