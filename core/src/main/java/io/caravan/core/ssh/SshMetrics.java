package io.caravan.core.ssh;

import java.util.Map;
import java.util.TreeMap;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.search.Search;

/** Per-host SSH counters in Micrometer, and their snapshot as {@link HostStats}. */
final class SshMetrics {
    static final String HANDSHAKES = "caravan.ssh.handshakes";
    static final String HANDSHAKE_FAILURES = "caravan.ssh.handshake.failures";
    static final String CHANNELS_OPENED = "caravan.ssh.channels.opened";
    static final String CHANNEL_REFUSALS = "caravan.ssh.channel.refusals";
    static final String RECONNECTS = "caravan.ssh.reconnects";

    private final MeterRegistry registry;

    SshMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void handshake(String host) {
        counter(HANDSHAKES, host).increment();
    }

    void handshakeFailed(String host, FailureKind kind) {
        Counter.builder(HANDSHAKE_FAILURES)
                .tag("host", host)
                .tag("cause", kind.tag())
                .register(registry)
                .increment();
    }

    void channelOpened(String host) {
        counter(CHANNELS_OPENED, host).increment();
    }

    void channelRefused(String host) {
        counter(CHANNEL_REFUSALS, host).increment();
    }

    void reconnect(String host) {
        counter(RECONNECTS, host).increment();
    }

    HostStats stats(String host) {
        Map<String, Long> failures = new TreeMap<>();
        Search.in(registry)
                .name(HANDSHAKE_FAILURES)
                .tag("host", host)
                .counters()
                .forEach(c -> failures.merge(c.getId().getTag("cause"), (long) c.count(), Long::sum));
        return new HostStats(
                host,
                count(HANDSHAKES, host),
                failures,
                count(CHANNELS_OPENED, host),
                count(CHANNEL_REFUSALS, host),
                count(RECONNECTS, host));
    }

    private Counter counter(String name, String host) {
        return Counter.builder(name).tag("host", host).register(registry);
    }

    private long count(String name, String host) {
        Counter c = Search.in(registry).name(name).tag("host", host).counter();
        return c == null ? 0 : (long) c.count();
    }
}
