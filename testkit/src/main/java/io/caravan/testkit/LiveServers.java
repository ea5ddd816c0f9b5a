package io.caravan.testkit;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** Every sshd this JVM started and has not stopped; a shutdown hook stops them if a run is cut short. */
final class LiveServers {
    private static final Set<OpenSshServer> LIVE = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(() -> LIVE.forEach(OpenSshServer::stop), "caravan-sshd-reaper"));
    }

    private LiveServers() {}

    static void add(OpenSshServer server) {
        LIVE.add(server);
    }

    static void remove(OpenSshServer server) {
        LIVE.remove(server);
    }
}
