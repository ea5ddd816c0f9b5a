package io.caravan.routes.remotejob;

import io.caravan.core.jobs.JobPlace;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.DefaultEndpoint;

/** Runs the message body as a detached job on the endpoint's host; the reply is its log. Producer only. */
@UriEndpoint(
        firstVersion = "0.1.0",
        scheme = "remote-job",
        title = "Remote job (detached, pooled SSH)",
        syntax = "remote-job:host:port",
        producerOnly = true,
        category = {Category.FILE},
        headersClass = RemoteJobConstants.class)
public class RemoteJobEndpoint extends DefaultEndpoint {
    @UriParam
    private final RemoteJobConfiguration configuration;

    private JobPlace place;

    public RemoteJobEndpoint(String uri, RemoteJobComponent component, RemoteJobConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
    }

    @Override
    public Producer createProducer() {
        return new RemoteJobProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("remote-job: has no consumer; send it the job's script");
    }

    @Override
    public RemoteJobComponent getComponent() {
        return (RemoteJobComponent) super.getComponent();
    }

    public RemoteJobConfiguration getConfiguration() {
        return configuration;
    }

    JobPlace place() {
        return place;
    }

    @Override
    protected void doInit() throws Exception {
        super.doInit();
        // a bad option fails when the route starts, not at the first message
        place = new JobPlace(configuration.toTarget(null), configuration.getWorkdirBase());
        configuration.jobOptions();
    }
}
