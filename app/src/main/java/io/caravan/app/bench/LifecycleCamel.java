package io.caravan.app.bench;

import io.caravan.routes.remotejob.RemoteJobRoutes;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;

/** A Camel context running only the remote-job routes: what a benchmark drives supervisors with, minus the engine. */
final class LifecycleCamel implements AutoCloseable {
    private final CamelContext camel = new DefaultCamelContext();
    final RemoteJobRoutes routes = new RemoteJobRoutes(RemoteJobRoutes.Settings.defaults());

    LifecycleCamel() throws Exception {
        camel.addRoutes(routes);
        camel.start();
    }

    @Override
    public void close() throws Exception {
        camel.close();
    }
}
