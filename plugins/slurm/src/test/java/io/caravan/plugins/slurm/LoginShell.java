package io.caravan.plugins.slurm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import io.caravan.spi.posix.ShellRunner;
import io.caravan.testkit.SlurmCluster;

/** {@code sh -s} here, with the cluster's configuration: the login node's shell, for a backend under test. */
final class LoginShell {
    private LoginShell() {}

    static ShellRunner of(SlurmCluster slurm) {
        return script -> {
            try {
                ProcessBuilder pb = new ProcessBuilder("sh", "-s");
                pb.environment().put("SLURM_CONF", slurm.conf().toString());
                Process p = pb.start();
                p.getOutputStream().write(script.getBytes(StandardCharsets.UTF_8));
                p.getOutputStream().close();
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                p.getInputStream().transferTo(out);
                String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
                if (p.waitFor() != 0) {
                    throw new IllegalStateException("login shell exited " + p.exitValue() + ": " + err);
                }
                return out.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        };
    }
}
