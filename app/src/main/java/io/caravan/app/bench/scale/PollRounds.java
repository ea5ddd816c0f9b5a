package io.caravan.app.bench.scale;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import io.caravan.core.jobs.JobSupervisor;
import io.caravan.routes.remotejob.RemoteJobRoutes;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;

/**
 * How long each poll round of the engine's own {@code remote-job-poll} route takes, per host: from the round's
 * exchange entering the route (the host's one status command goes out) to its end (events split, running jobs
 * acted on, ended ones completed). Installed on the engine's Camel context before it starts.
 */
final class PollRounds implements RoutePolicyFactory {
    private static final String ROUND_STARTED = "CaravanBenchPollStarted";
    private static final String ROUND_HOST = "CaravanBenchPollHost";

    /** Rounds that began after {@link #startWindow()}: host to round durations in nanoseconds. */
    private final Map<String, List<Long>> rounds = new ConcurrentHashMap<>();

    private volatile long windowStart = Long.MAX_VALUE;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong begun = new AtomicLong();

    @Override
    public RoutePolicy createRoutePolicy(CamelContext camel, String routeId, NamedNode route) {
        return RemoteJobRoutes.POLL.equals(routeId) ? new Timing() : null;
    }

    /** From now on, rounds are recorded (those under way are not). */
    void startWindow() {
        rounds.clear();
        windowStart = System.nanoTime();
    }

    /**
     * What {@code read} returns, read while no host's round is under way (so that a round is counted whole or
     * not at all: its command is sent after it began); bounded, then read as it is.
     */
    <T> T betweenRounds(Supplier<T> read) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            long before = begun.get();
            if (inFlight.get() == 0) {
                T value = read.get();
                if (inFlight.get() == 0 && begun.get() == before) {
                    return value;
                }
            }
            Thread.sleep(2);
        }
        return read.get();
    }

    int count(String host) {
        List<Long> r = rounds.get(host);
        return r == null ? 0 : r.size();
    }

    long[] nanos(String host) {
        List<Long> r = rounds.getOrDefault(host, List.of());
        synchronized (r) {
            return r.stream().mapToLong(Long::longValue).toArray();
        }
    }

    private final class Timing extends RoutePolicySupport {
        @Override
        public void onExchangeBegin(Route route, Exchange exchange) {
            if (exchange.getIn().getBody() instanceof JobSupervisor supervisor) {
                begun.incrementAndGet();
                inFlight.incrementAndGet();
                exchange.setProperty(ROUND_HOST, supervisor.host());
                exchange.setProperty(ROUND_STARTED, System.nanoTime());
            }
        }

        @Override
        public void onExchangeDone(Route route, Exchange exchange) {
            Long started = exchange.getProperty(ROUND_STARTED, Long.class);
            String host = exchange.getProperty(ROUND_HOST, String.class);
            if (started != null) {
                inFlight.decrementAndGet();
            }
            if (started != null && host != null && started >= windowStart) {
                List<Long> r = rounds.computeIfAbsent(host, h -> new ArrayList<>());
                synchronized (r) {
                    r.add(System.nanoTime() - started);
                }
            }
        }
    }
}
