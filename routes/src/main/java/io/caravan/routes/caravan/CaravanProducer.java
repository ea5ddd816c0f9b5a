package io.caravan.routes.caravan;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.caravan.core.engine.WorkflowLauncher.RunOutcome;
import io.caravan.core.runs.RunState;
import org.apache.camel.CamelExchangeException;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultProducer;

/**
 * Starts the run (a Map body gives param overrides), waits for its end, and replies with the tasks'
 * outputs by task id; run id and state go in headers.
 */
public class CaravanProducer extends DefaultProducer {
    private final CaravanEndpoint endpoint;

    public CaravanProducer(CaravanEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        CaravanConfiguration c = endpoint.getConfiguration();
        Map<String, String> overrides = new LinkedHashMap<>();
        if (exchange.getIn().getBody() instanceof Map<?, ?> body) {
            body.forEach((k, v) -> overrides.put(String.valueOf(k), String.valueOf(v)));
        }
        RunOutcome outcome = endpoint.getComponent()
                .launcher()
                .launch(c.getWorkflow(), "camel", overrides)
                .get(c.getTimeout(), TimeUnit.MILLISECONDS);
        exchange.getMessage().setHeader(CaravanConstants.RUN_ID, outcome.runId());
        exchange.getMessage()
                .setHeader(CaravanConstants.RUN_STATE, outcome.state().name().toLowerCase(Locale.ROOT));
        exchange.getMessage().setBody(outcome.outputs());
        if (c.isFailOnRunFailure() && outcome.state() != RunState.SUCCEEDED) {
            throw new CamelExchangeException(
                    "run " + outcome.runId() + " of workflow '" + c.getWorkflow() + "' "
                            + outcome.state().name().toLowerCase(Locale.ROOT),
                    exchange);
        }
    }
}
