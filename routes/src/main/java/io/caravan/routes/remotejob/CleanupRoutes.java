package io.caravan.routes.remotejob;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import io.caravan.core.cleanup.CleanupDebts;
import io.caravan.core.jobs.CleanupOutcomes;
import io.caravan.core.jobs.JobPlace;
import io.caravan.core.workflow.Durations;
import io.caravan.spi.CleanupResult;
import io.caravan.spi.JobBackend;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cleanup that is never forgotten, as Camel routes. Directories a supervisor could not remove go to
 * {@value #RETRY}, whose error handler redelivers with jittered exponential back-off (collision
 * avoidance); when redeliveries run out the directories become debts in the database. A timer route
 * retries due debts with growing delays (each debt's own; the timer only looks for due ones), among them the
 * removals a dead engine had under way.
 */
public final class CleanupRoutes extends RouteBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(CleanupRoutes.class);
    public static final String RETRY = "direct:remote-job-cleanup";
    /** The route's id, stable: its exchanges show in /metrics. */
    public static final String ROUTE_ID = "remote-job-cleanup";

    private final CleanupDebts debts;
    private final Settings settings;
    private final Set<CleanupOrder> inFlight = ConcurrentHashMap.newKeySet();

    /**
     * @param redeliveries in-process retries before a debt is recorded
     * @param firstDelay   delay before the first retry, doubled after each
     * @param debtPeriod   how often due debts are looked for
     */
    public record Settings(int redeliveries, Duration firstDelay, Duration debtPeriod) {
        public static Settings defaults() {
            return new Settings(5, Duration.ofSeconds(2), Duration.ofSeconds(10));
        }

        /**
         * The defaults, tuned by {@code -Dcaravan.cleanup.retries=N}, {@code -Dcaravan.cleanup.first-delay=2s} and
         * {@code -Dcaravan.cleanup.debt-period=10s}.
         */
        public static Settings fromSystemProperties() {
            Settings d = defaults();
            return new Settings(
                    Integer.getInteger("caravan.cleanup.retries", d.redeliveries()),
                    Durations.parse(System.getProperty("caravan.cleanup.first-delay", "2s")),
                    Durations.parse(System.getProperty("caravan.cleanup.debt-period", "10s")));
        }
    }

    public CleanupRoutes(CleanupDebts debts, Settings settings) {
        this.debts = debts;
        this.settings = settings;
    }

    /**
     * What a supervisor calls with the directories it removed (whatever was written down for them is settled)
     * and with those it could not remove (retried here; never blocks it).
     */
    public CleanupOutcomes outcomesOf(JobPlace place, JobBackend backend, ProducerTemplate template) {
        return new CleanupOutcomes() {
            @Override
            public void failed(List<CleanupResult> notRemoved) {
                CleanupOrder order = new CleanupOrder(
                        place,
                        backend,
                        notRemoved.stream().map(CleanupResult::id).toList());
                inFlight.add(order);
                template.asyncSendBody(RETRY, order).whenComplete((r, e) -> inFlight.remove(order));
            }

            @Override
            public void removed(List<String> jobIds) {
                settled(place, jobIds);
            }
        };
    }

    private void settled(JobPlace place, List<String> jobIds) {
        if (place.target() == null) {
            return; // nothing is written down for directories on this machine
        }
        try {
            debts.removed(place, jobIds);
        } catch (RuntimeException e) {
            // the rows stay; once their grace is over a retry finds the directories gone and settles them
            LOG.warn(
                    "{} job directories on {} removed, but the database could not be told: {}",
                    jobIds.size(),
                    place,
                    e.toString());
        }
    }

    /**
     * Waits, at most {@code max}, for cleanups still being retried in-process; what is left then becomes a
     * debt. For a one-shot run, whose report must say what is owed.
     */
    public void settle(Duration max) throws InterruptedException {
        long end = System.nanoTime() + max.toNanos();
        while (!inFlight.isEmpty() && System.nanoTime() < end) {
            Thread.sleep(20);
        }
        recordUnfinished();
    }

    /** The longest the in-process retries of one cleanup take, jitter included. */
    public Duration retryBudget() {
        long millis = 0;
        long delay = settings.firstDelay().toMillis();
        for (int i = 0; i < settings.redeliveries(); i++) {
            millis += delay * 5 / 4;
            delay *= 2;
        }
        return Duration.ofMillis(millis).plusSeconds(5);
    }

    /**
     * Before the process stops: cleanups still being retried in-process become debts now, so that a stop
     * between two redeliveries forgets nothing. (One that succeeds meanwhile is settled by the next retry.)
     */
    public void recordUnfinished() {
        for (CleanupOrder order : List.copyOf(inFlight)) {
            record(
                    order.place(),
                    order.jobIds().stream()
                            .map(id -> new CleanupResult(id, false, "engine stopped while retrying the cleanup"))
                            .toList());
            inFlight.remove(order);
        }
    }

    @Override
    public void configure() {
        from(RETRY)
                .routeId(ROUTE_ID)
                .onException(Exception.class)
                .maximumRedeliveries(settings.redeliveries())
                .redeliveryDelay(settings.firstDelay().toMillis())
                .useExponentialBackOff()
                .backOffMultiplier(2)
                .useCollisionAvoidance()
                .collisionAvoidancePercent(25)
                .asyncDelayedRedelivery()
                .logExhausted(false)
                .logRetryAttempted(false)
                .handled(true)
                .process(this::recordDebt)
                .end()
                .process(this::removeOrThrow);

        from("timer:caravan-cleanup-debts?delay=" + settings.debtPeriod().toMillis() + "&period="
                        + settings.debtPeriod().toMillis())
                .routeId("caravan-cleanup-debts")
                .process(e -> debts.retryDue());
    }

    /** Removes what it can; what is left stays in the body for the redelivery. */
    private void removeOrThrow(Exchange exchange) {
        exchange.removeProperty("caravan.cleanup.failed");
        CleanupOrder order = exchange.getIn().getBody(CleanupOrder.class);
        List<CleanupResult> results = order.backend().cleanup(order.jobIds());
        List<CleanupResult> left = results.stream().filter(r -> !r.removed()).toList();
        List<String> gone = results.stream()
                .filter(CleanupResult::removed)
                .map(CleanupResult::id)
                .toList();
        if (!gone.isEmpty()) {
            settled(order.place(), gone);
        }
        if (!left.isEmpty()) {
            exchange.getIn()
                    .setBody(new CleanupOrder(
                            order.place(),
                            order.backend(),
                            left.stream().map(CleanupResult::id).toList()));
            exchange.setProperty("caravan.cleanup.failed", left);
            throw new IllegalStateException(left.size() + " job directories on " + order.place() + " not removed: "
                    + left.get(0).id() + " " + left.get(0).reason());
        }
    }

    @SuppressWarnings("unchecked")
    private void recordDebt(Exchange exchange) {
        CleanupOrder order = exchange.getIn().getBody(CleanupOrder.class);
        List<CleanupResult> failed = exchange.getProperty("caravan.cleanup.failed", List.class);
        if (failed == null) { // the host was unreachable: every directory of the order is owed
            Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
            String why = cause == null ? "not removed" : cause.getMessage();
            failed = order.jobIds().stream()
                    .map(id -> new CleanupResult(id, false, why))
                    .toList();
        }
        record(order.place(), failed);
    }

    /** A debt needs a host to go back to; directories on this machine (plugins' local jobs) are reported instead. */
    private void record(JobPlace place, List<CleanupResult> failed) {
        if (place.target() == null) {
            LOG.error(
                    "could not remove {} job directories under {} on this machine: {}",
                    failed.size(),
                    place.base(),
                    failed);
        } else {
            debts.record(place, failed);
        }
    }
}
