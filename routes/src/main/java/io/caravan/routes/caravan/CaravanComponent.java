package io.caravan.routes.caravan;

import java.util.Map;

import io.caravan.core.engine.WorkflowLauncher;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;

/** {@code caravan:trigger?workflow=ID}: lets a Camel route start a workflow run and receive its result. */
@Component("caravan")
public class CaravanComponent extends DefaultComponent {
    @Metadata(autowired = true, description = "Starts runs; bound in the registry by the server")
    private WorkflowLauncher launcher;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) throws Exception {
        if (!"trigger".equals(remaining)) {
            throw new IllegalArgumentException(
                    "caravan: knows 'trigger' only, e.g. caravan:trigger?workflow=nightly; got '" + remaining + "'");
        }
        CaravanConfiguration configuration = new CaravanConfiguration();
        configuration.setOperation(remaining);
        CaravanEndpoint endpoint = new CaravanEndpoint(uri, this, configuration);
        setProperties(configuration, parameters);
        if (configuration.getWorkflow() == null) {
            throw new IllegalArgumentException("caravan:trigger needs ?workflow=ID");
        }
        return endpoint;
    }

    WorkflowLauncher launcher() {
        if (launcher == null) {
            launcher = getCamelContext().getRegistry().findSingleByType(WorkflowLauncher.class);
        }
        if (launcher == null) {
            throw new IllegalStateException(
                    "caravan: needs a running Caravan server (no WorkflowLauncher in the registry)");
        }
        return launcher;
    }

    public void setLauncher(WorkflowLauncher launcher) {
        this.launcher = launcher;
    }
}
