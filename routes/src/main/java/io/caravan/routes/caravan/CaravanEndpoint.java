package io.caravan.routes.caravan;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.support.DefaultEndpoint;

/** Starts a run of one workflow per exchange; producer only. */
@UriEndpoint(
        firstVersion = "0.1.0",
        scheme = "caravan",
        title = "Caravan",
        syntax = "caravan:operation",
        producerOnly = true,
        category = {Category.SCHEDULING},
        headersClass = CaravanConstants.class)
public class CaravanEndpoint extends DefaultEndpoint {
    @UriParam
    private final CaravanConfiguration configuration;

    public CaravanEndpoint(String uri, CaravanComponent component, CaravanConfiguration configuration) {
        super(uri, component);
        this.configuration = configuration;
    }

    @Override
    public Producer createProducer() {
        return new CaravanProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("caravan: has no consumer");
    }

    @Override
    public CaravanComponent getComponent() {
        return (CaravanComponent) super.getComponent();
    }

    public CaravanConfiguration getConfiguration() {
        return configuration;
    }
}
