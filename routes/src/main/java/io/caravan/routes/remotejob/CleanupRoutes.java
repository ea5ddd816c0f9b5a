package io.caravan.routes.remotejob;

import java.time.Duration;
import java.util.List;

import io.caravan.core.cleanup.CleanupDebts;
import io.caravan.core.jobs.CleanupFailures;
import io.caravan.core.jobs.JobHosts;
import io.caravan.core.jobs.JobPlace;
import io.caravan.spi.CleanupResult;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;

/**
 * Cleanup that is never forgotten, as Camel routes. Directories a supervisor could not remove go to
 * {@value #RETRY}, whose error handler redelivers with jittered exponential back-off (collision
 * avoidance); when redeliveries run out the directories become debts in the database. A timer route
 * retries due debts with growing delays.
 */
public final class CleanupRoutes extends RouteBuilder {
    public static final String RETRY = "direct:caravan-cleanup-retry";

    private final JobHosts hosts;
    private final CleanupDebts debts;
    private final Settings settings;

    /**
     * @param redeliveries in-process retries before a debt is recorded
     * @param firstDelay   delay before the first retry, doubled after each
     * @param debtPeriod   how often due debts are looked for
     */
    public record Settings(int redeliveries, Duration firstDelay, Duration debtPeriod) {
        public static Settings defaults() {
            return new Settings(5, Duration.ofSeconds(2), Duration.ofMinutes(1));
        }
    }

    public CleanupRoutes(JobHosts hosts, CleanupDebts debts, Settings settings) {
        this.hosts = hosts;
        this.debts = debts;
        this.settings = settings;
    }

    /** What a supervisor calls with directories it could not remove; never blocks it. */
    public static CleanupFailures failuresOf(JobPlace place, ProducerTemplate template) {
        return failed -> template.asyncSendBody(RETRY, new CleanupOrder(place, failed.stream().map(CleanupResult::id).toList()));
    }

    @Override
    public void configure() {
        from(RETRY).routeId("caravan-cleanup-retry")
                .onException(Exception.class)
                    .maximumRedeliveries(settings.redeliveries())
                    .redeliveryDelay(settings.firstDelay().toMillis())
                    .useExponentialBackOff().backOffMultiplier(2)
                    .useCollisionAvoidance().collisionAvoidancePercent(25)
                    .asyncDelayedRedelivery()
                    .logExhausted(false).logRetryAttempted(false)
                    .handled(true)
                    .process(this::recordDebt)
                .end()
                .process(this::removeOrThrow);

        from("timer:caravan-cleanup-debts?delay=" + settings.debtPeriod().toMillis() + "&period=" + settings.debtPeriod().toMillis())
                .routeId("caravan-cleanup-debts")
                .process(e -> debts.retryDue());
    }

    /** Removes what it can; what is left stays in the body for the redelivery. */
    private void removeOrThrow(Exchange exchange) {
        exchange.removeProperty("caravan.cleanup.failed");
        CleanupOrder order = exchange.getIn().getBody(CleanupOrder.class);
        List<CleanupResult> left = hosts.backend(order.place()).cleanup(order.jobIds()).stream().filter(r -> !r.removed()).toList();
        if (!left.isEmpty()) {
            exchange.getIn().setBody(new CleanupOrder(order.place(), left.stream().map(CleanupResult::id).toList()));
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
            failed = order.jobIds().stream().map(id -> new CleanupResult(id, false, why)).toList();
        }
        debts.record(order.place(), failed);
    }
}
