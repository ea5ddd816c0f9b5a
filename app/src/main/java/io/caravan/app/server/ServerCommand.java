package io.caravan.app.server;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import io.caravan.app.session.ConsoleCommand;
import io.caravan.app.web.WebServer;
import io.caravan.core.workflow.Durations;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code caravan server}: schedules workflows, loads Camel routes, resumes unfinished runs; stops on SIGTERM/Ctrl-C. */
@Command(
        name = "server",
        mixinStandardHelpOptions = true,
        description = "Run the long-lived engine: cron schedules, Camel YAML routes, runs left unfinished.")
public final class ServerCommand extends ConsoleCommand {
    @Option(
            names = "--workflows",
            paramLabel = "DIR",
            description = "Workflow YAML files (default: CARAVAN_HOME/workflows).")
    Path workflows;

    @Option(names = "--routes", paramLabel = "DIR", description = "Camel YAML routes (default: CARAVAN_HOME/routes).")
    Path routes;

    @Option(
            names = "--port",
            defaultValue = "8080",
            description = "Port of the web UI and REST API (default ${DEFAULT-VALUE}; 0: none).")
    int port;

    @Option(
            names = "--bind",
            defaultValue = WebServer.Settings.LOOPBACK,
            paramLabel = "ADDR",
            description = "Address the web UI and REST API listen on (default ${DEFAULT-VALUE}: this machine only). "
                    + "Every API request needs the token; beyond this machine, serve HTTPS (--tls-keystore).")
    String bind;

    @Option(
            names = "--allowed-host",
            paramLabel = "NAME",
            description = "A name requests may address the server by (their Host header) besides --bind's address: "
                    + "its DNS name, a reverse proxy's. Repeatable. Any other name is refused (DNS rebinding).")
    List<String> allowedHosts = new ArrayList<>();

    @Option(
            names = "--tls-keystore",
            paramLabel = "FILE.p12",
            description = "Serve HTTPS with the key and certificate chain of this PKCS#12 file.")
    Path tlsKeystore;

    @Option(
            names = "--tls-keystore-password-env",
            paramLabel = "NAME",
            defaultValue = "CARAVAN_TLS_PASSWORD",
            description = "Environment variable holding the keystore's password (default ${DEFAULT-VALUE}); "
                    + "never a password on the command line, where other users see it.")
    String tlsPasswordEnv;

    @Option(
            names = "--public-url",
            paramLabel = "URL",
            description =
                    "The server's address as people reach it (https://caravan.example.org/): notifications link to "
                            + "the run's page there. Without it they carry no link.")
    String publicUrl;

    @Option(
            names = "--misfire-threshold",
            defaultValue = "60s",
            hidden = true,
            converter = DurationConverter.class,
            description = "How late a firing may be before it counts as missed.")
    Duration misfireThreshold;

    @Override
    protected int run(Path home, PrintWriter out, PrintWriter err) throws Exception {
        if (publicUrl != null && !publicUrl.matches("https?://[^\\s]+")) {
            err.println("caravan server: --public-url must be an http:// or https:// URL, got '" + publicUrl + "'");
            err.flush();
            return 2;
        }
        CaravanServer.Settings settings;
        CaravanServer server;
        try {
            settings = new CaravanServer.Settings(
                    home,
                    database,
                    workflows != null ? workflows : home.resolve("workflows"),
                    routes != null ? routes : home.resolve("routes"),
                    misfireThreshold,
                    web());
            server = CaravanServer.start(settings);
            server.session().notifications().linkTo(publicUrl);
        } catch (WebServer.WebServerException e) {
            err.println("caravan server: " + e.getMessage());
            err.flush();
            return 1;
        }
        CountDownLatch stopRequested = StopSignals.install();
        AtomicBoolean closed = new AtomicBoolean();
        // Any other way out (System.exit elsewhere, a signal not handled here) still closes the server.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> closeOnce(server, closed), "caravan-shutdown"));
        out.printf(
                "caravan server: %d workflows %s, %d routes from %s, %d unfinished runs resumed; CARAVAN_HOME=%s%n",
                server.workflowIds().size(),
                server.workflowIds(),
                server.routes(),
                settings.routes(),
                server.resumedRuns(),
                home);
        server.invalidWorkflows()
                .forEach(bad -> err.println("workflow left out as invalid: " + bad.problem()
                        + (bad.problems() > 1
                                ? " (and " + (bad.problems() - 1) + " more: caravan validate " + bad.file() + ")"
                                : "")));
        err.flush();
        server.token().ifPresent(token -> {
            out.println("web UI and REST API: " + settings.web().url());
            settings.web().notices().forEach(out::println);
            // never the token itself: a server's output usually ends up in a log (journald, a file) others may read
            out.println("API token: " + (token.created() ? "generated into " : "in ") + token.file()
                    + " (owner-only; read it with: cat " + token.file() + ")");
        });
        out.println("stop with Ctrl-C (runs in flight resume at the next start)");
        out.flush();
        stopRequested.await();
        // Closed here, on a stop request, rather than in a shutdown hook racing the JVM's other hooks: the node
        // records its clean stop and the database closes last.
        closeOnce(server, closed);
        return 0;
    }

    private static void closeOnce(CaravanServer server, AtomicBoolean closed) {
        if (closed.compareAndSet(false, true)) {
            try {
                server.close();
            } catch (Exception e) {
                LoggerFactory.getLogger(ServerCommand.class).warn("stopping: {}", e.toString());
            }
        }
    }

    private WebServer.Settings web() {
        WebServer.Tls tls = null;
        if (tlsKeystore != null) {
            String password = System.getenv(tlsPasswordEnv);
            if (password == null) {
                throw new WebServer.WebServerException(
                        "--tls-keystore " + tlsKeystore + ": set the environment variable " + tlsPasswordEnv
                                + " to its password (or name another variable with --tls-keystore-password-env)");
            }
            tls = WebServer.Tls.load(tlsKeystore, password);
        }
        return new WebServer.Settings(bind, port, allowedHosts, tls);
    }

    /** "60s", "500ms" … */
    public static final class DurationConverter implements picocli.CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return Durations.parse(value);
        }
    }
}
