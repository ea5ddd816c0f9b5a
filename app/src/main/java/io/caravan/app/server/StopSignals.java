package io.caravan.app.server;

import java.util.concurrent.CountDownLatch;

import sun.misc.Signal;

/**
 * SIGTERM and SIGINT (Ctrl-C) ask the server to stop instead of starting the JVM's shutdown at once, so the
 * server closes (hands its attempts and hosts over, records its stop) while its database is still open; a
 * second signal while it closes quits at once.
 */
final class StopSignals {
    private StopSignals() {}

    static CountDownLatch install() {
        CountDownLatch requested = new CountDownLatch(1);
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    if (requested.getCount() == 0) {
                        Runtime.getRuntime().halt(128 + signal.getNumber());
                    }
                    requested.countDown();
                });
            } catch (IllegalArgumentException e) {
                // a signal this platform (or a JVM started with -Xrs) does not offer: the shutdown hook stops the
                // server
            }
        }
        return requested;
    }
}
