package io.caravan.routes.tasks;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.caravan.core.engine.Json;
import io.caravan.core.engine.TaskExecutor;
import io.caravan.core.engine.TaskInvocation;
import io.caravan.core.engine.TaskResult;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;

/**
 * {@code camel:} sends a message to any endpoint URI and takes the reply body as the task's output and log
 * (a map or list as JSON, the log ending in a newline). The body is a map of run id, task id and item, so a
 * route can tell instances of a fan-out apart. A failure is
 * recorded with the URI's passwords and tokens masked ({@link MaskedUri}).
 */
public final class CamelTaskExecutor implements TaskExecutor, AutoCloseable {
    private final ProducerTemplate template;

    public CamelTaskExecutor(CamelContext camel) {
        this.template = camel.createProducerTemplate();
    }

    @Override
    public TaskResult execute(TaskInvocation invocation) throws InterruptedException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("run", invocation.runId());
        body.put("task", invocation.task().id());
        body.put("item", invocation.item());
        CompletableFuture<Object> reply;
        try {
            reply = template.asyncRequestBody(invocation.body(), body);
        } catch (RuntimeException e) { // an endpoint that cannot be resolved fails here, before any reply
            return failure(invocation.body(), e.getMessage());
        }
        try {
            Object out = reply.get(invocation.timeout().toMillis(), TimeUnit.MILLISECONDS);
            String text = text(out);
            return TaskResult.success(text, text.isEmpty() || text.endsWith("\n") ? text : text + "\n");
        } catch (TimeoutException e) {
            reply.cancel(true);
            return failure(invocation.body(), "no reply within " + invocation.timeout());
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return failure(invocation.body(), cause.getMessage());
        }
    }

    /** A map or list (the request body a log: endpoint hands back, a JSON route's reply) as JSON, not Java's toString. */
    private String text(Object reply) {
        if (reply == null) {
            return "";
        }
        if (reply instanceof Map<?, ?> || reply instanceof Collection<?>) {
            try {
                return Json.write(reply);
            } catch (IllegalArgumentException e) {
                // a value Jackson cannot write: Camel's own conversion below
            }
        }
        return template.getCamelContext().getTypeConverter().convertTo(String.class, reply);
    }

    private static TaskResult failure(String uri, String message) {
        return TaskResult.failure(MaskedUri.describe(uri, message), "");
    }

    @Override
    public void close() throws Exception {
        template.close();
    }
}
