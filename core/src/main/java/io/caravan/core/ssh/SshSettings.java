package io.caravan.core.ssh;

import java.time.Duration;

/**
 * Every tunable of the SSH transport, with its default in {@link #defaults()} and nowhere else.
 *
 * @param connectTimeout            TCP connect + key exchange + authentication of one connection
 * @param keepaliveInterval         keepalive@openssh.com request interval on an idle connection
 * @param keepaliveMaxMissed        unanswered keepalives after which a connection is declared dead
 * @param idleTimeout               a connection without channels for this long is closed
 * @param maxConnectionsPerTarget   long-lived connections per (user, host, port, identity)
 * @param maxChannelsPerConnection  concurrent channels per connection; below OpenSSH's MaxSessions (10)
 *                                  because sshd frees a session slot after the client sees the close
 * @param gate                      per-host limit on handshakes in flight
 * @param reconnect                 back-off and attempt cap when connecting fails or a connection dies
 * @param channelRefused            back-off and attempt cap when the server refuses a channel
 * @param channelWait               longest wait for a free channel slot
 * @param execTimeout               default limit on one command
 * @param maxCapturedOutput         bytes of stdout (and of stderr) kept by a buffered exec
 * @param fatalHold                 after a fatal failure (authentication, host key, key file, configuration)
 *                                  no connection to that target is tried for this long: a later attempt fails
 *                                  at once with the same message, so a fan-out cannot storm the host's log
 */
public record SshSettings(
        Duration connectTimeout,
        Duration keepaliveInterval,
        int keepaliveMaxMissed,
        Duration idleTimeout,
        int maxConnectionsPerTarget,
        int maxChannelsPerConnection,
        GateSettings gate,
        Backoff reconnect,
        Backoff channelRefused,
        Duration channelWait,
        Duration execTimeout,
        int maxCapturedOutput,
        Duration fatalHold) {

    /**
     * @param initial     handshakes allowed in flight per host at start
     * @param min         floor the gate shrinks to after drops
     * @param max         ceiling it grows back to; well under MaxStartups' first number (10)
     * @param minSpacing  least time between two handshake starts to one host
     * @param afterDrop   pause after a MaxStartups-style drop, growing with consecutive drops
     */
    public record GateSettings(int initial, int min, int max, Duration minSpacing, Backoff afterDrop) {
        public GateSettings {
            if (min < 1 || initial < min || max < initial) {
                throw new IllegalArgumentException(
                        "gate needs 1 <= min <= initial <= max, got " + min + ", " + initial + ", " + max);
            }
        }
    }

    public SshSettings {
        if (maxConnectionsPerTarget < 1 || maxChannelsPerConnection < 1) {
            throw new IllegalArgumentException("connections and channels per connection must be >= 1");
        }
        if (fatalHold == null || fatalHold.isNegative()) {
            throw new IllegalArgumentException("fatalHold must be >= 0, got " + fatalHold);
        }
    }

    public static SshSettings defaults() {
        return new SshSettings(
                Duration.ofSeconds(15),
                Duration.ofSeconds(15),
                4,
                Duration.ofMinutes(5),
                2,
                4,
                new GateSettings(
                        3,
                        1,
                        6,
                        Duration.ofMillis(20),
                        new Backoff(Duration.ofMillis(100), Duration.ofSeconds(5), Integer.MAX_VALUE)),
                new Backoff(Duration.ofMillis(200), Duration.ofSeconds(5), 8),
                new Backoff(Duration.ofMillis(10), Duration.ofMillis(500), 60),
                Duration.ofMinutes(10),
                Duration.ofMinutes(10),
                16 * 1024 * 1024,
                Duration.ofSeconds(60));
    }

    public SshSettings withReconnect(Backoff backoff) {
        return new SshSettings(
                connectTimeout,
                keepaliveInterval,
                keepaliveMaxMissed,
                idleTimeout,
                maxConnectionsPerTarget,
                maxChannelsPerConnection,
                gate,
                backoff,
                channelRefused,
                channelWait,
                execTimeout,
                maxCapturedOutput,
                fatalHold);
    }

    public SshSettings withPoolShape(int connectionsPerTarget, int channelsPerConnection) {
        return new SshSettings(
                connectTimeout,
                keepaliveInterval,
                keepaliveMaxMissed,
                idleTimeout,
                connectionsPerTarget,
                channelsPerConnection,
                gate,
                reconnect,
                channelRefused,
                channelWait,
                execTimeout,
                maxCapturedOutput,
                fatalHold);
    }

    public SshSettings withIdleTimeout(Duration idle) {
        return new SshSettings(
                connectTimeout,
                keepaliveInterval,
                keepaliveMaxMissed,
                idle,
                maxConnectionsPerTarget,
                maxChannelsPerConnection,
                gate,
                reconnect,
                channelRefused,
                channelWait,
                execTimeout,
                maxCapturedOutput,
                fatalHold);
    }

    public SshSettings withFatalHold(Duration hold) {
        return new SshSettings(
                connectTimeout,
                keepaliveInterval,
                keepaliveMaxMissed,
                idleTimeout,
                maxConnectionsPerTarget,
                maxChannelsPerConnection,
                gate,
                reconnect,
                channelRefused,
                channelWait,
                execTimeout,
                maxCapturedOutput,
                hold);
    }
}
