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

    /**
     * How many times this process has taken the host: it changes when the process takes it anew, so that what
     * others stored about the host meanwhile is read again. A process on its own never takes a host: 0.
     */
    default long taken(String host) {
        return 0;
    }
}
