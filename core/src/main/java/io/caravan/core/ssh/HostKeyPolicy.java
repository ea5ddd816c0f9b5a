package io.caravan.core.ssh;

import java.util.Arrays;
import java.util.stream.Collectors;

/** How a server's host key is checked against known_hosts. Anything weaker than STRICT is asked for by name. */
public enum HostKeyPolicy {
    /** The key must already be in known_hosts. */
    STRICT("strict"),
    /** An unknown host's key is recorded in known_hosts; a changed key is still refused. */
    ACCEPT_NEW("accept-new"),
    /** No check at all. For throw-away test hosts only. */
    INSECURE("insecure");

    private final String configName;

    HostKeyPolicy(String configName) {
        this.configName = configName;
    }

    public String configName() {
        return configName;
    }

    public static HostKeyPolicy parse(String name) {
        for (HostKeyPolicy p : values()) {
            if (p.configName.equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown host key policy '" + name + "': expected one of "
                + Arrays.stream(values()).map(HostKeyPolicy::configName).collect(Collectors.joining(", ")));
    }
}
