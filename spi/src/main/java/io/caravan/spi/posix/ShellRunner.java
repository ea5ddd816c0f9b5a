package io.caravan.spi.posix;

/**
 * Runs a POSIX shell script somewhere (over the host's pooled SSH transport, or locally) and returns its
 * standard output as bytes. Every script the job protocol sends is safe to run twice.
 */
@FunctionalInterface
public interface ShellRunner {

    /**
     * @return the script's standard output
     * @throws IllegalStateException when the script exits non-zero, with its standard error in the message
     */
    byte[] run(String script);
}
