package io.caravan.routes.sshx;

import io.caravan.core.ssh.SshTarget;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.DefaultEndpoint;

/** Runs the message body as a command on the endpoint's host; producer only. */
@UriEndpoint(
        firstVersion = "0.1.0",
        scheme = "sshx",
        title = "SSH (pooled)",
        syntax = "sshx:host:port",
        producerOnly = true,
        category = {Category.FILE},
        headersClass = SshxConstants.class)
public class SshxEndpoint extends DefaultEndpoint {
    @UriParam
    private final SshxConfiguration configuration;

    private volatile SshTarget target;

    public SshxEndpoint(String uri, SshxComponent component, SshxConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
    }

    @Override
    public Producer createProducer() {
        return new SshxProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("sshx: has no consumer; poll with a timer and sshx: as producer");
    }

    @Override
    public SshxComponent getComponent() {
        return (SshxComponent) super.getComponent();
    }

    public SshxConfiguration getConfiguration() {
        return configuration;
    }

    /** Built on first use, after every option is bound; a header may name another user per exchange. */
    SshTarget target(String userOverride) {
        if (userOverride != null) {
            return configuration.toTarget(userOverride);
        }
        SshTarget t = target;
        if (t == null) {
            t = configuration.toTarget(null);
            target = t;
        }
        return t;
    }

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        target(null); // a bad option fails when the route starts, not at the first message
    }
}
