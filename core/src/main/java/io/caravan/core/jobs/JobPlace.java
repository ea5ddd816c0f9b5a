package io.caravan.core.jobs;

import io.caravan.core.ssh.SshTarget;

/**
 * Where jobs live: a host and the directory that holds their job directories (relative paths are under the
 * login's home directory).
 */
public record JobPlace(SshTarget target, String base) {

    public JobPlace {
        if (base == null || base.isBlank() || base.contains("..")) {
            throw new IllegalArgumentException("job base directory must be a path without '..': " + base);
        }
    }

    @Override
    public String toString() {
        return target + ":" + base;
    }
}
