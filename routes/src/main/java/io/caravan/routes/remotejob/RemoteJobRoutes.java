package io.caravan.routes.remotejob;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicLong;

import io.caravan.core.jobs.HostTurns;
import io.caravan.core.jobs.JobEvent;
import io.caravan.core.jobs.JobFault;
import io.caravan.core.jobs.JobSupervisor;
import io.caravan.core.jobs.Watch;
import io.caravan.core.ssh.Backoff;
import io.caravan.spi.JobStatus;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExtendedStartupListener;
import org.apache.camel.Predicate;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The remote-job lifecycle as routes, one set for every host (the host travels as {@value #HOST}):
 * <pre>
 *  submit() ─▶ remote-job-submit: aggregate per host (size/time bounded) ─▶ one submit command per batch
 *  timer ─▶ remote-job-tick: hosts due ─▶ remote-job-poll: one status command per host
 *                 ─▶ split into per-job events (running, log grown, ended, lost) ─▶ signal + read grown logs
 *                 ─▶ remote-job-complete: rest of the logs, outcomes, directories (DirectoryRule)
 *                        └─ not removed ─▶ remote-job-cleanup (redelivery, then the debt store)
 * </pre>
 * Each host is polled at its own phase of its interval (hosts attached together do not send their status commands
 * at the same moment), and the polls of different hosts are taken by different consumers of {@value #POLL_URI}: a
 * slow host does not hold up the others' (RemoteJobSlowHostOpenSshTest). A host's steps never overlap (its
 * supervisor is polled by one consumer at a time and every step holds its turn). A failure is classified once
 * ({@link JobFault}) and the {@code onException} clauses act on it: fatal fails the affected jobs at once,
 * transient is redelivered with jittered back-off within the host's budget, job-level fails the batch's jobs only;
 * the host's other jobs go on being polled.
 *
 * <p>Longer than most classes here on purpose: the routes of one lifecycle and their error handling stay in one
 * route builder, as the diagram above, so that each route's hand-offs and {@code onException} clauses read together.
 */
public final class RemoteJobRoutes extends RouteBuilder implements HostTurns {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteJobRoutes.class);
    public static final String SUBMIT = "remote-job-submit";
    public static final String POLL = "remote-job-poll";
    public static final String COMPLETE = "remote-job-complete";
    static final String HOST = "CaravanJobHost";
    private static final String SUBMIT_URI = "direct:remote-job-submit";
    private static final String POLL_URI = "seda:remote-job-poll";
    /**
     * How long an idle poll consumer waits on its queue before it looks whether it should stop: Camel's second
     * made every {@code caravan run} wait that long at its end, as each of the consumers finished its wait.
     */
    static final int SEDA_POLL_TIMEOUT_MS = 100;

    private static final String COMPLETE_URI = "direct:remote-job-complete";
    private static final String LINGER = "CaravanJobLinger";

    /**
     * @param tick       how often hosts are looked at for a due poll (each host is polled at its own interval)
     * @param threads    hosts polled, and batches submitted, at once
     * @param redelivery back-off of a batch whose submit failed transiently; its attempts are the budget
     */
    public record Settings(Duration tick, int threads, Backoff redelivery) {
        public static Settings defaults() {
            return new Settings(
                    Duration.ofMillis(20), 16, new Backoff(Duration.ofMillis(500), Duration.ofSeconds(30), 10));
        }
    }

    private final Settings settings;
    private final Map<JobSupervisor, String> hosts = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private volatile ProducerTemplate template;

    public RemoteJobRoutes(Settings settings) {
        this.settings = settings;
    }

    /** A batch taken off a host's queue, on its way to the host. */
    public record Batch(JobSupervisor host, List<Watch> watches) {}

    /** What one poll of one host found, grouped by what is done next. */
    public record Round(JobSupervisor host, List<JobEvent> running, List<JobEvent> ended) {}

    /**
     * The context's remote-job routes, created when it has none yet: added at once to a context that runs, or once
     * it has started (a component starts with its first endpoint, while the context is starting, when routes added
     * would not start).
     */
    public static RemoteJobRoutes in(CamelContext camel) throws Exception {
        RemoteJobRoutes found = camel.getRegistry().findSingleByType(RemoteJobRoutes.class);
        if (found != null) {
            return found;
        }
        RemoteJobRoutes routes = new RemoteJobRoutes(Settings.defaults());
        camel.getRegistry().bind("remoteJobRoutes", routes);
        if (camel.isStarted()) {
            camel.addRoutes(routes);
        } else {
            camel.addStartupListener(new ExtendedStartupListener() {
                @Override
                public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {}

                @Override
                public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) throws Exception {
                    context.addRoutes(routes);
                }
            });
        }
        return routes;
    }

    /**
     * Each host gets its poll phase in the order it is attached: the n-th takes the fractional part of n times the
     * golden ratio, so that however many hosts there are, their polls stay spread over the interval (no two closer
     * than about a third of an even share) and a host's phase never changes when others come.
     */
    @Override
    public void attach(JobSupervisor host) {
        long n = ids.incrementAndGet();
        host.pollPhase(phase(n));
        hosts.put(host, "host-" + n);
    }

    static double phase(long nth) {
        double phase = nth * (Math.sqrt(5) - 1) / 2;
        return phase - Math.floor(phase);
    }

    @Override
    public void detach(JobSupervisor host) {
        hosts.remove(host);
    }

    @Override
    public void queued(JobSupervisor host) {
        String key = hosts.get(host);
        if (key != null) {
            template()
                    .sendBodyAndHeaders(
                            SUBMIT_URI,
                            host,
                            Map.of(HOST, key, LINGER, host.settings().linger().toMillis()));
        }
    }

    private ProducerTemplate template() {
        ProducerTemplate t = template;
        if (t == null) {
            synchronized (this) {
                if (template == null) {
                    template = getContext().createProducerTemplate();
                }
                t = template;
            }
        }
        return t;
    }

    @Override
    public void configure() {
        ExecutorService submitters = getContext()
                .getExecutorServiceManager()
                .newFixedThreadPool(this, "remote-job-submit", settings.threads());
        Backoff b = settings.redelivery();

        from(SUBMIT_URI)
                .routeId(SUBMIT)
                .onException(Exception.class)
                .onWhen(fault(JobFault.TRANSIENT))
                .maximumRedeliveries(b.maxAttempts() - 1)
                .redeliveryDelay(b.base().toMillis())
                .maximumRedeliveryDelay(b.cap().toMillis())
                .useExponentialBackOff()
                .backOffMultiplier(2)
                .useCollisionAvoidance()
                .collisionAvoidancePercent(50)
                .asyncDelayedRedelivery()
                .logRetryAttempted(false)
                .logExhausted(false)
                .handled(true)
                .process(this::batchFailed)
                .end()
                .onException(Throwable.class)
                .handled(true)
                .logExhausted(false)
                .process(this::batchFailed)
                .end()
                .aggregate(header(HOST), (AggregationStrategy) (old, next) -> old == null ? next : old)
                .completionSize(JobSupervisor.SUBMIT_PER_ROUND)
                .completionTimeout(header(LINGER))
                .completionTimeoutCheckerInterval(5)
                .parallelProcessing()
                .executorService(submitters)
                .process(e -> {
                    JobSupervisor host = e.getIn().getBody(JobSupervisor.class);
                    e.getIn().setBody(new Batch(host, host.takeBatch()));
                })
                .filter(e -> !e.getIn().getBody(Batch.class).watches().isEmpty())
                .process(e -> guarded(() -> {
                    Batch batch = e.getIn().getBody(Batch.class);
                    batch.host().submitBatch(batch.watches());
                }))
                .process(e -> {
                    JobSupervisor host = e.getIn().getBody(Batch.class).host();
                    if (host.hasQueued()) {
                        queued(host); // a large submit goes out in several batches, with polls between them
                    }
                });

        from("timer:remote-job-tick?delay=0&period=" + settings.tick().toMillis())
                .routeId("remote-job-tick")
                .process(e -> e.getIn()
                        .setBody(hosts.keySet().stream()
                                .filter(JobSupervisor::claimPoll)
                                .toList()))
                .filter(e -> !e.getIn().getBody(List.class).isEmpty())
                .split(body())
                .to(POLL_URI + "?waitForTaskToComplete=Never");

        // one consumer per host polled at once, up to the pool: a slow host's round ties up its own consumer only
        from(POLL_URI + "?concurrentConsumers=" + settings.threads() + "&pollTimeout=" + SEDA_POLL_TIMEOUT_MS)
                .routeId(POLL)
                .onException(Throwable.class)
                .handled(true)
                .logExhausted(false)
                .process(this::roundFailed)
                .end()
                .setProperty(HOST, body())
                .process(e -> guarded(() -> e.getIn()
                        .setBody(e.getProperty(HOST, JobSupervisor.class).poll())))
                .split(body(), new RoundCollector())
                .process(e -> e.getIn()
                        .setBody(e.getProperty(HOST, JobSupervisor.class)
                                .event(e.getIn().getBody(JobStatus.class))))
                .end()
                .process(e -> guarded(() -> {
                    Round round = round(e);
                    round.host().actOnRunning(round.running());
                }))
                .to(COMPLETE_URI);

        from(COMPLETE_URI)
                .routeId(COMPLETE)
                .onException(Throwable.class)
                .handled(true)
                .logExhausted(false)
                .process(this::roundFailed)
                .end()
                .process(e -> guarded(() -> {
                    Round round = round(e);
                    round.host().complete(round.ended());
                    round.host().endPoll();
                }));
    }

    private static Round round(Exchange e) {
        Round round = e.getIn().getBody(Round.class);
        return round != null ? round : new Round(e.getProperty(HOST, JobSupervisor.class), List.of(), List.of());
    }

    /** Gathers the per-job events of one poll into what is done with them next: one command per kind, not per job. */
    private static final class RoundCollector implements AggregationStrategy {
        @Override
        public Exchange aggregate(Exchange old, Exchange next) {
            Exchange into = old == null ? next : old;
            Round round = old == null
                    ? new Round(next.getProperty(HOST, JobSupervisor.class), new ArrayList<>(), new ArrayList<>())
                    : old.getIn().getBody(Round.class);
            JobEvent event = next.getIn().getBody(JobEvent.class);
            if (event != null) {
                (event.running() ? round.running() : round.ended()).add(event);
            }
            into.getIn().setBody(round);
            return into;
        }
    }

    private static Predicate fault(JobFault kind) {
        return e -> JobFault.of(e.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class)) == kind;
    }

    private void batchFailed(Exchange e) {
        Throwable cause = e.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        Batch batch = e.getIn().getBody(Batch.class);
        JobFault fault = JobFault.of(cause);
        LOG.warn(
                "submitting {} jobs to {} failed ({}): {}",
                batch.watches().size(),
                batch.host().host(),
                fault,
                JobFault.reason(cause));
        batch.host().failBatch(batch.watches(), fault, cause);
    }

    private void roundFailed(Exchange e) {
        Throwable cause = e.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        JobSupervisor host = e.getProperty(HOST, JobSupervisor.class);
        JobFault fault = JobFault.of(cause);
        try {
            if (host.stepFailed(fault, cause)) {
                LOG.error("gave up on {} ({}): {}", host.host(), fault, JobFault.reason(cause));
            } else {
                LOG.warn(
                        "polling {} failed ({}), retried after a back-off: {}",
                        host.host(),
                        fault,
                        JobFault.reason(cause));
            }
        } finally {
            host.endPoll();
        }
    }

    /** Any throwable of a step, an Error too, becomes the exchange's exception: the routes survive it and report it. */
    private static void guarded(Runnable step) {
        try {
            step.run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException("remote-job step failed: " + t, t);
        }
    }
}
