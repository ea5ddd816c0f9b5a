package io.caravan.core.cluster;

/** Which SSH hosts ({@code host:port}) this engine process may connect to and start work on. */
public interface HostOwnership {
    /** A process on its own (a foreground run, the demo): every host is its own. */
    HostOwnership EVERY_HOST = new HostOwnership() {
        @Override
        public boolean mayUse(String host) {
            return true;
        }

        @Override
        public boolean owns(String host) {
            return true;
        }
    };

    /** True when this process owns the host, after taking it if it is free and this process's turn. */
    boolean mayUse(String host);

    /** True when this process owns the host now; never takes it. */
    boolean owns(String host);
}
