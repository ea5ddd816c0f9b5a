package io.caravan.core.engine;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** {@code shell:} a local command through /bin/sh; stdout is the output, and a timeout kills the process tree. */
public final class ShellTaskExecutor implements TaskExecutor {

    @Override
    public TaskResult execute(TaskInvocation invocation) throws InterruptedException, IOException {
        Process process = new ProcessBuilder("/bin/sh", "-c", invocation.body())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
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
        return process.exitValue() == 0 ? TaskResult.success(out.strip(), log)
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
