package io.caravan.app.bench;

import java.util.List;
import java.util.stream.IntStream;

import io.caravan.testkit.OpenSshServer;

/** The workflow YAML that names a benchmark's sshd instances: connections h0, h1, ... and a pool over them. */
public final class LoopbackHosts {
    private LoopbackHosts() {}

    /** The {@code connections:} entries, indented under that key, one line each. */
    public static String connections(List<OpenSshServer> hosts) {
        StringBuilder yaml = new StringBuilder();
        for (int i = 0; i < hosts.size(); i++) {
            OpenSshServer h = hosts.get(i);
            yaml.append("  h%d: { host: %s, port: %d, user: %s, identity: %s, known_hosts: %s }\n"
                    .formatted(i, h.host(), h.port(), h.user(), h.clientKey(), h.knownHosts()));
        }
        return yaml.toString();
    }

    /** The connections' names, as a pool's {@code hosts:} list: "h0, h1, ...". */
    public static String names(List<OpenSshServer> hosts) {
        return String.join(
                ", ", IntStream.range(0, hosts.size()).mapToObj(i -> "h" + i).toList());
    }
}
