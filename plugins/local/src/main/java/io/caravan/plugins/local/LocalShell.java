package io.caravan.plugins.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.caravan.spi.posix.ShellRunner;

/** Runs protocol scripts with this machine's {@code /bin/sh}, within two minutes each. */
final class LocalShell implements ShellRunner {
    private static final long TIMEOUT_SECONDS = 120;

    @Override
    public byte[] run(String script) {
        try {
            Process sh = new ProcessBuilder("/bin/sh", "-s").start();
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(sh.getInputStream()));
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(sh.getErrorStream()));
            try (OutputStream in = sh.getOutputStream()) {
                in.write(script.getBytes(StandardCharsets.UTF_8));
            }
            if (!sh.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                sh.destroyForcibly();
                throw new IllegalStateException(
                        "local job protocol command did not end within " + TIMEOUT_SECONDS + " s");
            }
            if (sh.exitValue() != 0) {
                throw new IllegalStateException("local job protocol command exited " + sh.exitValue() + ": "
                        + new String(err.join(), StandardCharsets.UTF_8).strip());
            }
            return out.join();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run /bin/sh", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running a local job protocol command", e);
        }
    }

    private static byte[] readAll(InputStream stream) {
        try (stream) {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            stream.transferTo(bytes);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
