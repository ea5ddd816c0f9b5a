package io.caravan.core.engine;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code shell:} a local command through /bin/sh; stdout is the output, and a timeout kills the process tree.
 * The command is handed over in a file of its UTF-8 bytes (0600, removed afterwards), not as an argument, which
 * the JVM encodes in the platform's charset: under a POSIX locale every non-ASCII character would become '?'.
 */
public final class ShellTaskExecutor implements TaskExecutor {
    private static final FileAttribute<?> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));

    @Override
    public TaskResult execute(TaskInvocation invocation) throws InterruptedException, IOException {
        Path script = Files.createTempFile("caravan-shell-", ".sh", OWNER_ONLY);
        try {
            Files.writeString(script, invocation.body(), StandardCharsets.UTF_8);
            return run(
                    new ProcessBuilder("/bin/sh", script.toString())
                            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                            .start(),
                    invocation);
        } finally {
            Files.deleteIfExists(script);
        }
    }

    private static TaskResult run(Process process, TaskInvocation invocation) throws InterruptedException {
        CompletableFuture<byte[]> stdout = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        CompletableFuture<byte[]> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        try {
            if (!process.waitFor(invocation.timeout().toMillis(), TimeUnit.MILLISECONDS)) {
                kill(process);
                return TaskResult.failure("timed out after " + invocation.timeout(), "");
            }
        } catch (InterruptedException e) {
            kill(process);
            throw e;
        }
        String out = new String(stdout.join(), StandardCharsets.UTF_8);
        String err = new String(stderr.join(), StandardCharsets.UTF_8);
        String log = out + err;
        return process.exitValue() == 0
                ? TaskResult.success(out.strip(), log)
                : TaskResult.failure("exit code " + process.exitValue() + tail(err), log);
    }

    static String tail(String stderr) {
        String s = stderr.strip();
        return s.isEmpty() ? "" : ": " + (s.length() > 500 ? "…" + s.substring(s.length() - 500) : s);
    }

    private static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static byte[] read(InputStream in) {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            in.transferTo(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
