package io.caravan.core.storage;

/**
 * A job directory a cleanup is owed for: where it is and how to reach its host again, paths to keys, never a
 * key or a passphrase (the name of the environment variable holding it, for a server that has it to retry).
 * What a cleanup debt is about; the rules for the path itself are {@link io.caravan.spi.JobDirectory}'s.
 */
public record OwedDirectory(
        String host,
        int port,
        String user,
        String identityPath,
        String knownHostsPath,
        String hostKeyPolicy,
        String baseDir,
        String jobId,
        String passphraseEnv) {

    public OwedDirectory(
            String host,
            int port,
            String user,
            String identityPath,
            String knownHostsPath,
            String hostKeyPolicy,
            String baseDir,
            String jobId) {
        this(host, port, user, identityPath, knownHostsPath, hostKeyPolicy, baseDir, jobId, null);
    }
}
