package io.caravan.app.bench.scale;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.caravan.app.bench.Scratch;
import io.caravan.testkit.OpenSshServer;

/**
 * Everything the scale benchmark puts on this machine, under one directory: N sshd instances on loopback (each
 * with its work directory there), the engine's home, the job base directory and the release FIFO the jobs wait
 * on. {@link #close()} (or the shutdown hook, on Ctrl-C or a failure) releases the jobs, ends any process still
 * working there, stops every sshd and removes the directory.
 */
final class ScaleRig implements AutoCloseable {
    final Path dir;
    final List<OpenSshServer> hosts = new ArrayList<>();
    private final Thread hook = new Thread(this::tearDown, "caravan-bench-scale-teardown");
    private boolean closed;

    ScaleRig(Path dir, int count) {
        this.dir = dir;
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            Files.createDirectories(dir);
            Files.createDirectories(jobs());
            Files.createDirectories(home());
            Process mkfifo = new ProcessBuilder("mkfifo", "-m", "600", release().toString())
                    .inheritIO()
                    .start();
            if (!mkfifo.waitFor(30, TimeUnit.SECONDS) || mkfifo.exitValue() != 0) {
                throw new IllegalStateException("mkfifo " + release() + " failed");
            }
            for (int i = 0; i < count; i++) {
                hosts.add(OpenSshServer.builder()
                        .workDir(dir.resolve("sshd-" + i))
                        .start());
            }
        } catch (IOException e) {
            close();
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close();
            throw new IllegalStateException("interrupted while setting up", e);
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    Path jobs() {
        return dir.resolve("jobs");
    }

    Path home() {
        return dir.resolve("home");
    }

    /** The FIFO every job opens for reading: it blocks there, using no CPU, until {@link #release()}. */
    Path release() {
        return dir.resolve("release");
    }

    /**
     * Lets every job waiting on the FIFO go: opening it for reading and writing at once never blocks, and wakes
     * each reader blocked in its open; they find no data and end with 0. A job that reaches its open later
     * waits for the next release.
     */
    void releaseJobs() {
        if (Files.exists(release())) {
            try (FileChannel ignored = FileChannel.open(release(), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                // opened is enough
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Job directories still in the base. */
    long dirsLeft() {
        try (Stream<Path> dirs = Files.list(jobs())) {
            return dirs.filter(d ->
                            Files.isDirectory(d) && !d.getFileName().toString().startsWith("."))
                    .count();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Processes (but this one) working in the directory or started with a file of it: job shells, sshd. */
    List<ProcessHandle> processesLeft() {
        return processesUnder(dir);
    }

    static List<ProcessHandle> processesUnder(Path dir) {
        String prefix = dir.toAbsolutePath().normalize().toString();
        long self = ProcessHandle.current().pid();
        List<ProcessHandle> left = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            procs.filter(p -> p.getFileName().toString().matches("\\d+")).forEach(p -> {
                long pid = Long.parseLong(p.getFileName().toString());
                if (pid != self && (under(cwd(p), prefix) || cmdline(p).contains(prefix))) {
                    ProcessHandle.of(pid).ifPresent(left::add);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return left;
    }

    private static boolean under(String path, String prefix) {
        return path.equals(prefix) || path.startsWith(prefix + "/");
    }

    private static String cwd(Path proc) {
        try {
            return Files.readSymbolicLink(proc.resolve("cwd")).toString();
        } catch (IOException | UnsupportedOperationException e) {
            return ""; // gone, or not ours to look at
        }
    }

    private static String cmdline(Path proc) {
        try {
            return new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8).replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        tearDown();
        closed = true;
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // shutting down already: the hook runs or ran
        }
    }

    /**
     * Jobs released (they end by themselves within a moment), sshd stopped; anything still working in the
     * directory after a grace is ended by its process id, then the directory goes.
     */
    private synchronized void tearDown() {
        if (closed) {
            return;
        }
        closed = true;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        try {
            while (!processesUnder(jobs()).isEmpty() && System.nanoTime() < deadline) {
                releaseJobs();
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // the FIFO is gone: whatever is left is ended below
        }
        hosts.forEach(OpenSshServer::close);
        List<ProcessHandle> left = processesLeft();
        left.forEach(ProcessHandle::destroy);
        for (ProcessHandle p : left) {
            try {
                p.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                p.destroyForcibly();
            }
        }
        Scratch.deleteQuietly(dir);
    }
}
