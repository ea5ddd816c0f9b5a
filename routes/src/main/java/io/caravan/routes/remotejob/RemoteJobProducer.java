package io.caravan.routes.remotejob;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import io.caravan.core.jobs.JobOutcome;
import io.caravan.core.jobs.JobRequest;
import io.caravan.core.jobs.LogSink;
import io.caravan.core.jobs.RemoteJobOptions;
import io.caravan.spi.JobSpec;
import io.caravan.spi.posix.OwnerMarker;
import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelExchangeException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultAsyncProducer;

/**
 * Submits the body as a job and completes the exchange when the job has ended, without holding a thread
 * meanwhile: the host's supervisor polls it together with every other job on that host.
 */
public class RemoteJobProducer extends DefaultAsyncProducer {
    /** The reply holds the log; a larger log is cut to its first bytes (the full log stays on the host under cleanup: never). */
    static final int MAX_REPLY_LOG = 16 << 20;

    private final RemoteJobEndpoint endpoint;

    public RemoteJobProducer(RemoteJobEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        try {
            Message in = exchange.getIn();
            String script = in.getMandatoryBody(String.class);
            String id = in.getHeader(RemoteJobConstants.JOB_ID, "camel-" + exchange.getExchangeId(), String.class)
                    .replaceAll("[^A-Za-z0-9._-]", "-");
            Map<String, String> env = new LinkedHashMap<>();
            Map<?, ?> given = in.getHeader(RemoteJobConstants.ENV, Map.class);
            if (given != null) {
                given.forEach((k, v) -> env.put(String.valueOf(k), String.valueOf(v)));
            }
            RemoteJobConfiguration c = endpoint.getConfiguration();
            ByteArrayOutputStream log = new ByteArrayOutputStream();
            LogSink sink = bytes -> {
                synchronized (log) {
                    log.write(bytes, 0, Math.max(0, Math.min(bytes.length, MAX_REPLY_LOG - log.size())));
                }
            };
            RemoteJobOptions job = c.jobOptions().with(script, env);
            JobRequest request = job.request(
                    new JobSpec(
                            id,
                            job.script(),
                            job.env(),
                            OwnerMarker.camel(getEndpoint().getCamelContext().getName(), id)),
                    sink);
            endpoint.getComponent()
                    .getSupervisors()
                    .supervisor(endpoint.place())
                    .submit(request)
                    .whenComplete((outcome, error) -> {
                        if (error != null) {
                            exchange.setException(error);
                        } else {
                            reply(exchange, outcome, log.toString(StandardCharsets.UTF_8));
                        }
                        callback.done(false);
                    });
            return false;
        } catch (Exception e) {
            exchange.setException(e);
            callback.done(true);
            return true;
        }
    }

    private void reply(Exchange exchange, JobOutcome outcome, String log) {
        Message out = exchange.getMessage();
        out.setBody(log);
        out.setHeader(RemoteJobConstants.EXIT_CODE, outcome.exitCode());
        out.setHeader(RemoteJobConstants.ENDING, outcome.ending().name());
        out.setHeader(RemoteJobConstants.OUTPUTS, outcome.outputsJson());
        if (!outcome.succeeded() && endpoint.getConfiguration().isFailOnError()) {
            exchange.setException(new CamelExchangeException(
                    "remote job " + outcome.jobId() + " on " + endpoint.place() + ": " + outcome.detail(), exchange));
        }
    }
}
