package io.caravan.core.jobs;

import io.caravan.core.ssh.SshTarget;
import io.caravan.spi.JobDirectory;

/**
 * Where jobs live: a host (null for this machine) and the directory that holds their job directories
 * (relative paths are under the login's home directory).
 */
public record JobPlace(SshTarget target, String base) {

    public JobPlace {
        JobDirectory.checkBase(base);
    }

    /** The host, for thread names and messages. */
    public String label() {
        return target == null ? "local" : target.hostAndPort();
    }

    @Override
    public String toString() {
        return (target == null ? "local" : target.toString()) + ":" + base;
    }
}
