package io.caravan.app.web;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.caravan.app.server.RunLauncher;
import io.caravan.app.server.WorkflowCatalog;
import io.caravan.app.session.EngineSession;
import io.caravan.core.ssh.HostAndPort;
import io.caravan.core.storage.ClusterStore;
import io.caravan.core.storage.PoolStore;
import io.caravan.core.storage.RunControl;
import io.caravan.core.storage.RunQueries;
import io.caravan.core.storage.RunStore;
import org.apache.camel.component.platform.http.PlatformHttpComponent;
import org.apache.camel.component.platform.http.vertx.VertxPlatformHttpServerConfiguration;
import org.apache.camel.support.jsse.SSLContextParameters;

/** Puts the web UI and the REST API into the server's CamelContext, on Vert.x, bound where it is told. */
public final class WebServer {
    /** The largest request body read: a trigger's params are a few hundred bytes. */
    static final long MAX_BODY = 1024 * 1024;

    /**
     * @param bind         where to listen: 127.0.0.1 unless told otherwise
     * @param port         0 for no web server at all
     * @param allowedHosts names a request's {@code Host} may carry besides the bound address (a DNS name, a proxy's)
     * @param tls          the certificate to serve HTTPS with; null for plain HTTP
     */
    public record Settings(String bind, int port, List<String> allowedHosts, Tls tls) {
        public static final String LOOPBACK = "127.0.0.1";

        public Settings {
            allowedHosts = List.copyOf(allowedHosts);
        }

        /** Plain HTTP, answering only to the bound address. */
        public Settings(String bind, int port) {
            this(bind, port, List.of(), null);
        }

        public boolean enabled() {
            return port > 0;
        }

        public String url() {
            return (tls != null ? "https" : "http") + "://" + HostAndPort.format(bind, port) + "/";
        }

        /** Where a process on this machine reaches it: over loopback when it listens on every address. */
        public String localUrl() {
            return wildcard()
                    ? (tls != null ? "https" : "http") + "://" + HostAndPort.format(LOOPBACK, port) + "/"
                    : url();
        }

        /** Whether only this machine can reach it (a name is resolved: {@code localhost} is loopback). */
        public boolean loopback() {
            return address().isLoopbackAddress();
        }

        /** 0.0.0.0 or ::, every address of this machine. */
        boolean wildcard() {
            return address().isAnyLocalAddress();
        }

        InetAddress address() {
            try {
                return InetAddress.getByName(bind);
            } catch (UnknownHostException e) {
                throw new WebServerException(
                        "cannot serve the web UI and API on " + bind + ": no such address (--bind ADDR)");
            }
        }

        /** What the person starting the server must know about where it listens, beyond its address. */
        public List<String> notices() {
            List<String> lines = new ArrayList<>();
            if (loopback()) {
                return lines;
            }
            if (tls == null) {
                lines.add("WARNING: listening on " + bind
                        + ", beyond this machine, without TLS: the API token and every answer"
                        + " travel in clear text. Serve HTTPS with --tls-keystore FILE.p12 (its password in the environment"
                        + " variable CARAVAN_TLS_PASSWORD, or the one --tls-keystore-password-env names).");
            }
            lines.add("requests must name this server as " + (wildcard() ? "one of its addresses" : bind)
                    + " with port " + port
                    + (allowedHosts.isEmpty() ? "" : " or as " + String.join(", ", allowedHosts))
                    + " (Host header); allow more names with --allowed-host NAME");
            return lines;
        }
    }

    /** The key and certificate chain of a PKCS#12 keystore, read when the server is told to use it. */
    public record Tls(Path keystore, SSLContextParameters parameters) {
        /**
         * @param password from the environment, never from the command line
         * @throws WebServerException naming the file and what is wrong with it, before anything starts
         */
        public static Tls load(Path keystore, String password) {
            return new Tls(keystore, TlsKeystore.load(keystore, password));
        }

        @Override
        public String toString() {
            return "Tls[" + keystore + "]";
        }
    }

    private WebServer() {}

    /**
     * Vert.x reports a port in use only on its event loop, and the start then never ends: asked here first,
     * a taken port is a clear error before anything starts.
     */
    private static void probe(Settings settings) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(settings.bind(), settings.port()));
        } catch (IOException e) {
            throw new WebServerException("cannot serve the web UI and API on "
                    + HostAndPort.format(settings.bind(), settings.port()) + ": " + e.getMessage()
                    + " (another caravan server? choose another --port, or --port 0 for none)");
        }
    }

    /** The web server cannot start where or how it was told to. */
    public static final class WebServerException extends RuntimeException {
        public WebServerException(String message) {
            super(message);
        }
    }

    /** Adds the server and its routes; they start with the CamelContext. */
    public static void install(
            EngineSession session, WorkflowCatalog catalog, RunLauncher launcher, ApiToken token, Settings settings)
            throws Exception {
        probe(settings);
        VertxPlatformHttpServerConfiguration conf = new VertxPlatformHttpServerConfiguration();
        conf.setBindHost(settings.bind());
        conf.setBindPort(settings.port());
        conf.setMaxBodySize(MAX_BODY);
        conf.getBodyHandler()
                .setHandleFileUploads(false); // nothing here takes files: none lands in a temporary directory
        conf.getBodyHandler().setMergeFormAttributes(false);
        if (settings.tls() != null) {
            conf.setSslContextParameters(settings.tls().parameters());
        }
        session.camel().addService(new GuardedHttpServer(conf, new RequestGuard(AllowedHosts.of(settings), token)));
        session.camel().getRegistry().bind(RequestHeaders.NONE, RequestHeaders.none());
        session.camel()
                .getComponent("platform-http", PlatformHttpComponent.class)
                .setHeaderFilterStrategy(RequestHeaders.forUserRoutes());

        RunStore store = session.store();
        RunQueries queries = new RunQueries(session.database());
        RunControl control = new RunControl(session.database());
        RunWorkflows workflows = new RunWorkflows(session.loader());
        RunsApi runs = new RunsApi(store, queries, control, workflows, session.notifications()::failures);
        ItemsApi items = new ItemsApi(runs, store, queries, control, workflows, session.logs(), launcher::continueRun);
        HostsApi hosts = new HostsApi(
                new PoolStore(session.database()),
                store,
                new ClusterStore(session.database()),
                session.transport(),
                catalog::definitions);
        CleanupApi cleanup = new CleanupApi(session.cleanupDebts());
        WorkflowsApi workflowsApi = new WorkflowsApi(
                catalog,
                launcher,
                session.plugins(),
                session.node().map(n -> n.id()).orElse(null));
        MetricsText metrics = new MetricsText(session.transport().registry(), session::jobStats);
        session.camel().addRoutes(new ApiRoutes(runs, items, hosts, cleanup, workflowsApi, metrics));
        session.camel().addRoutes(new UiRoutes());
    }
}
