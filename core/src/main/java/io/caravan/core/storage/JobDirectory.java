package io.caravan.core.storage;

/**
 * Where one job's directory is and how to reach its host again: paths to keys, never a key or a passphrase.
 * What a cleanup debt is about.
 */
public record JobDirectory(String host, int port, String user, String identityPath, String knownHostsPath,
                           String hostKeyPolicy, String baseDir, String jobId) {
}
