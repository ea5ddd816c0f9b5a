package io.caravan.routes.notify;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

import io.caravan.core.engine.Json;
import io.caravan.core.notify.Notification;
import io.caravan.core.notify.Notifier;
import io.caravan.routes.tasks.MaskedUri;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePattern;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Delivers notifications to their endpoint URIs through Camel: the engine's thread only puts each on a bounded
 * SEDA queue; the {@code caravan-notify} route sends it to its endpoint, redelivering with exponential, jittered
 * pauses, and one that fails for good is logged with its URI masked and kept for the run's page
 * ({@link #failures}). A delivery never changes a run's outcome.
 */
public final class NotifyRoutes extends RouteBuilder implements Notifier {
    private static final Logger LOG = LoggerFactory.getLogger(NotifyRoutes.class);
    private static final String URI = "caravan.notify.uri";
    private static final String RUN = "caravan.notify.run";
    private static final String EVENT = "caravan.notify.event";
    /** Failed deliveries kept in memory, newest last, for the run's page. */
    private static final int KEPT = 200;

    private final NotifySettings settings;
    private final Clock clock;
    private final Deque<FailedDelivery> failures = new ArrayDeque<>();
    private volatile ProducerTemplate template;
    /** An idle consumer's wait on the queue: Camel's default second delayed the end of every one-shot command. */
    private static final int POLL_TIMEOUT_MS = 100;

    private volatile String publicUrl;

    public NotifyRoutes(NotifySettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    private String queue() {
        return "seda:caravan-notify?size=" + settings.queueSize() + "&concurrentConsumers=" + settings.consumers()
                + "&pollTimeout=" + POLL_TIMEOUT_MS;
    }

    @Override
    public void configure() {
        from(queue())
                .routeId("caravan-notify")
                .onException(Exception.class)
                .maximumRedeliveries(settings.redeliveries())
                .redeliveryDelay(settings.firstDelay().toMillis())
                .maximumRedeliveryDelay(settings.maxDelay().toMillis())
                .useExponentialBackOff()
                .backOffMultiplier(2)
                .useCollisionAvoidance()
                .collisionAvoidancePercent(25)
                .asyncDelayedRedelivery()
                .logExhausted(false)
                .logRetryAttempted(false)
                .logStackTrace(false)
                .handled(true)
                .process(this::failed)
                .end()
                // the URI as given, never split at commas nor read as a simple expression
                .recipientList(exchangeProperty(URI))
                .delimiter("false");
    }

    @Override
    public void send(Notification notification) {
        String body = Json.write(notification.body(link(notification.runId())));
        for (String uri : notification.uris()) {
            try {
                ProducerTemplate producer = producer();
                Exchange exchange =
                        producer.getCamelContext().getEndpoint(queue()).createExchange(ExchangePattern.InOnly);
                exchange.setProperty(URI, uri);
                exchange.setProperty(RUN, notification.runId());
                exchange.setProperty(EVENT, notification.event().key());
                exchange.getIn().setBody(body);
                exchange.getIn().setHeader("Subject", notification.subject());
                if (!isMail(uri)) {
                    exchange.getIn().setHeader(Exchange.CONTENT_TYPE, "application/json; charset=UTF-8");
                }
                producer.send(queue(), exchange);
                if (exchange.getException() != null) {
                    throw exchange.getException();
                }
            } catch (Exception e) { // the queue is full, or Camel is not running: logged, the run goes on
                record(notification.runId(), notification.event().key(), uri, "not queued: " + e.getMessage());
            }
        }
    }

    /** The server's address as people reach it ({@code --public-url}): notifications link to the run's page there. */
    public void linkTo(String url) {
        publicUrl = url;
    }

    /** The run's page, or null without a public URL. */
    private String link(String runId) {
        String base = publicUrl;
        if (base == null || base.isBlank()) {
            return null;
        }
        base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
        return base + "/ui/index.html#/runs/" + URLEncoder.encode(runId, StandardCharsets.UTF_8);
    }

    /** Deliveries that failed for good, of one run, oldest first (those kept in memory: the last {@value #KEPT}). */
    public List<FailedDelivery> failures(String runId) {
        synchronized (failures) {
            return failures.stream().filter(f -> f.runId().equals(runId)).toList();
        }
    }

    private void failed(Exchange exchange) {
        Exception cause = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        record(
                exchange.getProperty(RUN, String.class),
                exchange.getProperty(EVENT, String.class),
                exchange.getProperty(URI, String.class),
                (settings.redeliveries() + 1) + " attempts failed, the last: "
                        + (cause == null ? "unknown" : cause.getMessage()));
    }

    private void record(String runId, String event, String uri, String reason) {
        String described = MaskedUri.describe(uri, reason);
        int colon = described.indexOf(": ");
        String masked = described.substring(0, colon);
        LOG.warn("run {}: {} notification not delivered to {}", runId, event, described);
        synchronized (failures) {
            failures.addLast(new FailedDelivery(runId, event, masked, described.substring(colon + 2), clock.instant()));
            while (failures.size() > KEPT) {
                failures.removeFirst();
            }
        }
    }

    private ProducerTemplate producer() {
        ProducerTemplate p = template;
        if (p == null) {
            synchronized (this) {
                if (template == null) {
                    template = getContext().createProducerTemplate();
                }
                p = template;
            }
        }
        return p;
    }

    private static boolean isMail(String uri) {
        String scheme = uri.substring(0, Math.max(0, uri.indexOf(':'))).toLowerCase(Locale.ROOT);
        return scheme.equals("smtp") || scheme.equals("smtps");
    }
}
