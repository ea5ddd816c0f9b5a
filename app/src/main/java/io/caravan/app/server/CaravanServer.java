package io.caravan.app.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.caravan.app.session.DatabaseOptions;
import io.caravan.app.session.EngineSession;
import io.caravan.app.web.ApiToken;
import io.caravan.app.web.WebServer;
import io.caravan.core.threads.DaemonThreads;
import io.caravan.routes.schedule.QuartzSchedulers;
import io.caravan.routes.schedule.ScheduleRoutes;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.component.quartz.QuartzComponent;
import org.apache.camel.model.Model;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.slf4j.LoggerFactory;

/**
 * The long-running engine: workflows of a directory, their cron schedules on Quartz's JDBC store in
 * the same database, users' Camel YAML routes (which can start runs through {@code caravan:}), and the
 * runs a previous server left unfinished.
 */
public final class CaravanServer implements AutoCloseable {
    /**
     * @param misfireThreshold how late a firing may be before it counts as missed (Quartz's misfire threshold)
     */
    public record Settings(
            Path home,
            DatabaseOptions database,
            Path workflows,
            Path routes,
            Duration misfireThreshold,
            WebServer.Settings web) {
        /** Without the web UI and API. */
        public Settings(Path home, DatabaseOptions database, Path workflows, Path routes, Duration misfireThreshold) {
            this(
                    home,
                    database,
                    workflows,
                    routes,
                    misfireThreshold,
                    new WebServer.Settings(WebServer.Settings.LOOPBACK, 0));
        }
    }

    private final EngineSession session;
    private final RunLauncher launcher;
    private final Scheduler scheduler;
    private final WorkflowCatalog catalog;
    private final int resumed;
    private final ApiToken token;
    private final int userRoutes;
    private final ScheduledExecutorService queue;

    private CaravanServer(
            EngineSession session,
            RunLauncher launcher,
            Scheduler scheduler,
            WorkflowCatalog catalog,
            int resumed,
            ApiToken token,
            int userRoutes) {
        this.token = token;
        this.userRoutes = userRoutes;
        this.session = session;
        this.launcher = launcher;
        this.scheduler = scheduler;
        this.catalog = catalog;
        this.resumed = resumed;
        this.queue = Executors.newSingleThreadScheduledExecutor(DaemonThreads.named("caravan-queue"));
        // runs queued by `caravan trigger` (another process) or started by another node are joined within a second
        queue.scheduleWithFixedDelay(this::joinUnfinished, 1, 1, TimeUnit.SECONDS);
    }

    private void joinUnfinished() {
        try {
            launcher.joinUnfinished();
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(CaravanServer.class).warn("cannot pick up unfinished runs: {}", e.toString());
        }
    }

    public static CaravanServer start(Settings settings) throws Exception {
        EngineSession session = new EngineSession(settings.home(), settings.database(), true);
        Scheduler scheduler = null;
        try {
            WorkflowCatalog catalog = WorkflowCatalog.load(settings.workflows(), session.loader());
            RunLauncher launcher = new RunLauncher(session, catalog);
            CamelContext camel = session.camel();
            camel.getRegistry().bind("workflowLauncher", launcher);
            scheduler = QuartzSchedulers.create(
                    session.database().dataSource(),
                    session.database().config().postgres(),
                    settings.misfireThreshold());
            QuartzComponent quartz = new QuartzComponent(camel);
            quartz.setScheduler(scheduler);
            camel.addComponent("quartz", quartz);
            camel.addRoutes(new ScheduleRoutes(catalog.definitions(), launcher));
            ApiToken token = null;
            if (settings.web().enabled()) {
                token = ApiToken.loadOrCreate(settings.home());
                WebServer.install(session, catalog, launcher, token, settings.web());
            }
            int userRoutes = loadRoutes(camel, settings.routes());
            session.startCamel();
            if (settings.web().enabled()) {
                // `caravan trigger` in another process cannot open the embedded database this one holds: it comes here
                session.database()
                        .holder()
                        .ifPresent(h -> h.advertise(settings.web().localUrl()));
            }
            return new CaravanServer(
                    session, launcher, scheduler, catalog, launcher.continueUnfinished(), token, userRoutes);
        } catch (Exception | Error e) {
            closeAfterFailedStart(session, scheduler);
            throw e;
        }
    }

    /** A start that failed part-way leaves no scheduler thread and no open database behind. */
    private static void closeAfterFailedStart(EngineSession session, Scheduler scheduler) {
        try {
            if (scheduler != null) {
                scheduler.shutdown(false);
            }
        } catch (SchedulerException | RuntimeException e) {
            LoggerFactory.getLogger(CaravanServer.class)
                    .warn("cannot stop the scheduler of a failed start: {}", e.toString());
        }
        try {
            session.close();
        } catch (Exception e) {
            LoggerFactory.getLogger(CaravanServer.class)
                    .warn("cannot close the engine of a failed start: {}", e.toString());
        }
    }

    /** Every *.yaml under the routes directory, loaded with Camel's YAML DSL; how many routes they hold. */
    private static int loadRoutes(CamelContext camel, Path dir) throws Exception {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        Model model = camel.getCamelContextExtension().getContextPlugin(Model.class);
        int before = model.getRouteDefinitions().size();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file :
                    files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
                PluginHelper.getRoutesLoader(camel)
                        .loadRoutes(ResourceHelper.resolveResource(camel, "file:" + file.toAbsolutePath()));
            }
        }
        return model.getRouteDefinitions().size() - before;
    }

    public List<String> workflowIds() {
        return catalog.definitions().stream()
                .map(w -> w.id() + (w.schedule() == null ? "" : " (schedule \"" + w.schedule() + "\")"))
                .toList();
    }

    /** Workflow files of the directory that were left out as invalid. */
    public List<WorkflowCatalog.Invalid> invalidWorkflows() {
        return catalog.invalid();
    }

    /** The API token, when the web server runs. */
    public Optional<ApiToken> token() {
        return Optional.ofNullable(token);
    }

    public int resumedRuns() {
        return resumed;
    }

    /** Routes loaded from the routes directory (the users'; Caravan's own API and cleanup routes not counted). */
    public int routes() {
        return userRoutes;
    }

    public EngineSession session() {
        return session;
    }

    /**
     * In order: no new requests or queued runs, no new firings (Quartz, whose job store is in the database, stops
     * while the database is open), runs in flight interrupted (they resume at the next start), this node recorded
     * as stopped, then the rest, the database last ({@link EngineSession#close}).
     */
    @Override
    public void close() throws Exception {
        queue.shutdownNow();
        stopAccepting();
        scheduler.shutdown(false);
        launcher.close();
        session.close();
    }

    /** The web UI's and API's routes stop first: a trigger arriving during the shutdown must not start a run. */
    private void stopAccepting() {
        CamelContext camel = session.camel();
        for (Route route : List.copyOf(camel.getRoutes())) {
            if (route.getEndpoint().getEndpointUri().startsWith("platform-http")) {
                try {
                    camel.getRouteController().stopRoute(route.getRouteId());
                } catch (Exception e) {
                    LoggerFactory.getLogger(CaravanServer.class)
                            .warn("cannot stop route {}: {}", route.getRouteId(), e.toString());
                }
            }
        }
    }
}
