package io.caravan.routes.sshx;

import java.time.Duration;

import io.caravan.core.ssh.ExecOptions;
import io.caravan.core.ssh.ExecResult;
import io.caravan.core.ssh.SshFailure;
import io.caravan.core.ssh.SshTarget;
import org.apache.camel.CamelExchangeException;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.support.DefaultProducer;

/** Executes the body on a pooled connection; sets camel-ssh's result headers. Never connects per exchange. */
public class SshxProducer extends DefaultProducer {
    private final SshxEndpoint endpoint;

    public SshxProducer(SshxEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    @Override
    public void process(Exchange exchange) throws Exception {
        Message in = exchange.getIn();
        String command = in.getMandatoryBody(String.class);
        SshTarget target = endpoint.target(in.getHeader(SshxConstants.USERNAME, String.class));
        SshxConfiguration configuration = endpoint.getConfiguration();
        ExecOptions options =
                new ExecOptions(Duration.ofMillis(configuration.getTimeout()), configuration.isIdempotent());
        ExecResult result;
        try {
            result = endpoint.getComponent().getTransport().exec(target, command, options);
        } catch (SshFailure e) {
            throw new CamelExchangeException(
                    "Cannot execute command on " + target + ": " + e.getMessage(), exchange, e);
        }
        Message out = exchange.getMessage();
        out.setBody(result.stdout());
        out.setHeader(SshxConstants.EXIT_VALUE, result.exitCode());
        out.setHeader(SshxConstants.STDERR, result.stderr());
        out.setHeader(SshxConstants.ELAPSED_MILLIS, result.elapsed().toMillis());
    }
}
