package io.caravan.testkit;

import java.nio.file.Path;

/** An SSH host on loopback that tests, the demo and benchmarks can log in to with a generated key. */
public interface SshTestHost {
    String host();

    int port();

    String user();

    /** An unencrypted private key the host accepts. */
    Path clientKey();

    /** A known_hosts file listing the host's key under {@code [host]:port}. */
    Path knownHosts();
}
