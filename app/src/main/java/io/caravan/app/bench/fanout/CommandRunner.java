package io.caravan.app.bench.fanout;

/** Runs one shell command on a host and returns its stdout; throws when it could not, or when it exited non-zero. */
@FunctionalInterface
interface CommandRunner {
    String run(int host, String command) throws Exception;
}
