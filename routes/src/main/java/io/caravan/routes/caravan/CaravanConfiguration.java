package io.caravan.routes.caravan;

import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.spi.UriPath;

/** Options of {@code caravan:trigger?workflow=…}. */
@UriParams
public class CaravanConfiguration implements Cloneable {
    @UriPath(enums = "trigger", description = "What to do; 'trigger' starts a run")
    @Metadata(required = true)
    private String operation;

    @UriParam(description = "Id of a workflow the server has loaded")
    @Metadata(required = true)
    private String workflow;

    @UriParam(defaultValue = "3600000", description = "Milliseconds to wait for the run to end")
    private long timeout = 3_600_000;

    @UriParam(defaultValue = "true", description = "A run that fails fails the exchange")
    private boolean failOnRunFailure = true;

    public CaravanConfiguration copy() {
        try {
            return (CaravanConfiguration) clone();
        } catch (CloneNotSupportedException e) {
            throw new RuntimeCamelException(e);
        }
    }

    public String getOperation() {
        return operation;
    }

    public void setOperation(String operation) {
        this.operation = operation;
    }

    public String getWorkflow() {
        return workflow;
    }

    public void setWorkflow(String workflow) {
        this.workflow = workflow;
    }

    public long getTimeout() {
        return timeout;
    }

    public void setTimeout(long timeout) {
        this.timeout = timeout;
    }

    public boolean isFailOnRunFailure() {
        return failOnRunFailure;
    }

    public void setFailOnRunFailure(boolean failOnRunFailure) {
        this.failOnRunFailure = failOnRunFailure;
    }
}
