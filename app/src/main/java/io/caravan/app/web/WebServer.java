package io.caravan.app.web;

import io.caravan.app.server.RunLauncher;
import io.caravan.app.server.WorkflowCatalog;
import io.caravan.app.session.EngineSession;
import io.caravan.core.storage.ClusterStore;
import io.caravan.core.storage.PoolStore;
import io.caravan.core.storage.RunControl;
import io.caravan.core.storage.RunQueries;
import io.caravan.core.storage.RunStore;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServer;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;

/** Puts the web UI and the REST API into the server's CamelContext, on Vert.x, bound where it is told. */
public final class WebServer {
    /**
     * @param bind where to listen: 127.0.0.1 unless told otherwise, since reading needs no token
     * @param port 0 for no web server at all
     */
    public record Settings(String bind, int port) {
        public static final String LOOPBACK = "127.0.0.1";

        public boolean enabled() {
            return port > 0;
        }

        public String url() {
            return "http://" + (bind.contains(":") ? "[" + bind + "]" : bind) + ":" + port + "/";
        }
    }

    private WebServer() {
    }

    /**
     * Vert.x reports a port in use only on its event loop, and the start then never ends: asked here first,
     * a taken port is a clear error before anything starts.
     */
    private static void probe(Settings settings) {
        try (java.net.ServerSocket socket = new java.net.ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new java.net.InetSocketAddress(settings.bind(), settings.port()));
        } catch (java.io.IOException e) {
            throw new WebServerException("cannot serve the web UI and API on " + settings.bind() + ":" + settings.port()
                    + ": " + e.getMessage() + " (another caravan server? choose another --port, or --port 0 for none)");
        }
    }

    /** The web server cannot start where it was told to. */
    public static final class WebServerException extends RuntimeException {
        WebServerException(String message) {
            super(message);
        }
    }

    /** Adds the server and its routes; they start with the CamelContext. */
    public static void install(EngineSession session, WorkflowCatalog catalog, RunLauncher launcher, ApiToken token,
                               Settings settings) throws Exception {
        probe(settings);
        VertxPlatformHttpServerConfiguration conf = new VertxPlatformHttpServerConfiguration();
        conf.setBindHost(settings.bind());
        conf.setBindPort(settings.port());
        session.camel().addService(new VertxPlatformHttpServer(conf));

        RunStore store = session.store();
        RunQueries queries = new RunQueries(session.database());
        RunControl control = new RunControl(session.database());
        RunWorkflows workflows = new RunWorkflows(session.loader());
        RunsApi runs = new RunsApi(store, queries, control, workflows);
        ItemsApi items = new ItemsApi(runs, store, queries, control, workflows, session.logs(), launcher::continueRun);
        HostsApi hosts = new HostsApi(new PoolStore(session.database()), store, new ClusterStore(session.database()),
                session.transport(), catalog::definitions);
        CleanupApi cleanup = new CleanupApi(session.cleanupDebts());
        WorkflowsApi workflowsApi = new WorkflowsApi(catalog, launcher, session.plugins(),
                session.node().map(n -> n.id()).orElse(null));
        MetricsText metrics = new MetricsText(session.transport().registry(), session::jobStats);
        session.camel().addRoutes(new ApiRoutes(token, runs, items, hosts, cleanup, workflowsApi, metrics));
        session.camel().addRoutes(new UiRoutes());
    }
}
