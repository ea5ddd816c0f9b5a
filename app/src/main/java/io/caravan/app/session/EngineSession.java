package io.caravan.app.session;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import io.caravan.app.plugins.PluginInstaller;
import io.caravan.app.plugins.TaskTypes;
import io.caravan.core.cleanup.CleanupDebts;
import io.caravan.core.cluster.ClusterNode;
import io.caravan.core.cluster.ClusterSettings;
import io.caravan.core.cluster.HostOwnership;
import io.caravan.core.cluster.OwnedHostAdmission;
import io.caravan.core.engine.Engine;
import io.caravan.core.engine.EngineSettings;
import io.caravan.core.engine.HostAdmission;
import io.caravan.core.engine.ShellTaskExecutor;
import io.caravan.core.engine.SshTaskExecutor;
import io.caravan.core.engine.TaskExecutors;
import io.caravan.core.jobs.DirectoryRule;
import io.caravan.core.jobs.GpuInventory;
import io.caravan.core.jobs.JobPlace;
import io.caravan.core.jobs.JobSupervisors;
import io.caravan.core.jobs.NvidiaSmiInventory;
import io.caravan.core.jobs.PoolReservations;
import io.caravan.core.jobs.Reservation;
import io.caravan.core.jobs.SupervisorSettings;
import io.caravan.core.jobs.SupervisorStats;
import io.caravan.core.plugins.Plugins;
import io.caravan.core.ssh.SshSettings;
import io.caravan.core.ssh.SshTransport;
import io.caravan.core.storage.ClusterStore;
import io.caravan.core.storage.Database;
import io.caravan.core.storage.DebtStore;
import io.caravan.core.storage.GroupCommit;
import io.caravan.core.storage.PlacementStore;
import io.caravan.core.storage.PoolStore;
import io.caravan.core.storage.RunStore;
import io.caravan.core.threads.Background;
import io.caravan.core.threads.DaemonThreads;
import io.caravan.core.workflow.RemoteJobKind;
import io.caravan.core.workflow.WorkflowLoader;
import io.caravan.routes.notify.NotifyRoutes;
import io.caravan.routes.notify.NotifySettings;
import io.caravan.routes.remotejob.CleanupRoutes;
import io.caravan.routes.remotejob.JobStaging;
import io.caravan.routes.remotejob.JobTaskExecutor;
import io.caravan.routes.remotejob.RemoteJobRoutes;
import io.caravan.routes.tasks.CamelTaskExecutor;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.micrometer.routepolicy.MicrometerRoutePolicyFactory;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * One process's engine: database, SSH transport, Camel and the executors of every built-in task type. Longer than
 * most classes here because it is the one place that wires the parts together and closes them in reverse order.
 */
public final class EngineSession implements AutoCloseable {
    private final Database db;
    private final SshTransport transport;
    private final CamelContext camel;
    private final TaskExecutors executors;
    private final Engine engine;
    private CamelTaskExecutor camelTasks;
    private final TaskTypes types;
    private final JobSupervisors jobSupervisors;
    private final StoredPools pools;
    private final CleanupRoutes cleanupRoutes;
    private final NotifyRoutes notifications;
    private final CleanupDebts debts;
    private final List<JobSupervisors> pluginJobSupervisors;
    private final ClusterNode node;
    private final EngineSettings engineSettings;
    private final ExecutorService placementWriter;
    /** Reads the GPUs of {@code gpus: auto} hosts (nvidia-smi over SSH), off the engine's threads. */
    private final ExecutorService gpuReader;

    /** A process on its own: every host it meets is its to connect to. */
    public EngineSession(Path home, DatabaseOptions database) {
        this(home, database, false);
    }

    /**
     * @param clusterNode a {@code caravan server}: joins the engines sharing the database, connects only to the
     *                    hosts it owns and takes over what a dead node held
     */
    public EngineSession(Path home, DatabaseOptions database, boolean clusterNode) {
        // the SSH client (its crypto providers: hundreds of classes from a signed jar, which the class data sharing
        // archive cannot hold) starts while the database opens
        Background<SshTransport> ssh = Background.start(
                "caravan-ssh-start",
                () -> SshTransport.start(SshSettings.defaults()
                        .withReconnect(SupervisorSettings.budget(
                                "caravan.ssh.reconnect", SshSettings.defaults().reconnect()))));
        try {
            this.db = Database.open(database.config(home));
        } catch (RuntimeException | Error e) {
            ssh.discard(SshTransport::close);
            throw e;
        }
        try {
            this.transport = ssh.join();
        } catch (RuntimeException | Error e) {
            db.close();
            throw e;
        }
        this.camel = new DefaultCamelContext();
        // a fixed name: Quartz jobs stored in the database find this context again after a restart
        camel.getCamelContextExtension().setName("caravan");
        camel.getRegistry().bind("sshTransport", transport);
        // every route's exchanges (remote-job-submit, -poll, -complete, -cleanup among them) at /metrics
        MicrometerRoutePolicyFactory routeMetrics = new MicrometerRoutePolicyFactory();
        routeMetrics.setMeterRegistry(transport.registry());
        camel.addRoutePolicyFactory(routeMetrics);
        EngineSettings settings = EngineSettings.defaults(home);
        this.engineSettings = settings;
        RunStore runs = new RunStore(db);
        this.node = clusterNode
                ? ClusterNode.join(
                        settings.owner(),
                        new ClusterStore(db),
                        runs,
                        ClusterSettings.fromSystemProperties(),
                        Clock.systemUTC())
                : null;
        HostOwnership ownership = node != null ? node : HostOwnership.EVERY_HOST;
        ProducerTemplate cleanups = camel.createProducerTemplate();
        this.debts = new CleanupDebts(
                new DebtStore(db), JobSupervisors.backends(transport)::apply, Clock.systemUTC(), ownership::mayUse);
        this.cleanupRoutes = new CleanupRoutes(debts, CleanupRoutes.Settings.fromSystemProperties());
        RemoteJobRoutes lifecycle = new RemoteJobRoutes(RemoteJobRoutes.Settings.defaults());
        camel.getRegistry().bind("remoteJobRoutes", lifecycle);
        addRoutes(lifecycle);
        this.jobSupervisors = JobSupervisors.overSsh(
                transport,
                SupervisorSettings.fromSystemProperties(),
                (place, backend) -> cleanupRoutes.outcomesOf(place, backend, cleanups),
                Clock.systemUTC(),
                lifecycle);
        camel.getRegistry().bind("jobSupervisors", jobSupervisors);
        addRoutes(cleanupRoutes);
        this.notifications = new NotifyRoutes(NotifySettings.fromSystemProperties(), Clock.systemUTC());
        addRoutes(notifications);
        this.pools = new StoredPools(new PoolStore(db));
        PoolReservations reservations = new PoolReservations(
                t -> ownership.owns(t.hostAndPort()),
                host -> runs.placements().heldOn(host).stream()
                        .map(h -> new Reservation.Stored(
                                DirectoryRule.jobId(h.runId(), h.taskId(), h.itemIndex(), h.attempt()),
                                h.gpus(),
                                h.cpus(),
                                h.memBytes()))
                        .toList(),
                ownership::taken,
                Duration.ofSeconds(1));
        this.placementWriter = Executors.newSingleThreadExecutor(DaemonThreads.named("caravan-placements"));
        GroupCommit<PlacementStore.Placement, Boolean> placed =
                new GroupCommit<>(runs.placements()::placedOn, placementWriter, 500);
        JobTaskExecutor.PlacementLog placements = (inv, held) -> placed.add(
                held.holdsResources()
                        ? new PlacementStore.Placement(
                                inv.runId(),
                                inv.task().id(),
                                inv.itemIndex(),
                                held.member().hostAndPort(),
                                held.gpus(),
                                held.cpus(),
                                held.memBytes())
                        : new PlacementStore.Placement(
                                inv.runId(),
                                inv.task().id(),
                                inv.itemIndex(),
                                held.member().hostAndPort()));
        this.gpuReader = Executors.newCachedThreadPool(DaemonThreads.numbered("caravan-gpu-inventory"));
        GpuInventory gpus = new NvidiaSmiInventory(transport, gpuReader);
        this.executors = new TaskExecutors()
                .register("shell", new ShellTaskExecutor())
                .register("ssh", new SshTaskExecutor(transport))
                .registerAsync(
                        RemoteJobKind.KEY,
                        new JobTaskExecutor(
                                jobSupervisors,
                                reservations,
                                settings.owner(),
                                placements,
                                new JobStaging(transport),
                                gpus));
        this.types = TaskTypes.load(home);
        Plugins plugins = types.plugins();
        plugins.refused().forEach(r -> System.err.println("caravan: " + r));
        camel.setApplicationContextClassLoader(
                new PluginsClassLoader(EngineSession.class.getClassLoader(), plugins.loaders()));
        this.pluginJobSupervisors = PluginInstaller.install(
                plugins,
                executors,
                camel,
                new PluginInstaller.Host(
                        transport,
                        reservations,
                        settings.owner(),
                        placements,
                        (place, backend) -> cleanupRoutes.outcomesOf(place, backend, cleanups),
                        lifecycle));
        this.engine = new Engine(
                runs,
                executors,
                settings,
                Clock.systemUTC(),
                pools,
                node != null ? new OwnedHostAdmission(node, reservations) : HostAdmission.OPEN,
                notifications);
    }

    private void addRoutes(RouteBuilder routes) {
        try {
            camel.addRoutes(routes);
        } catch (Exception e) {
            throw new IllegalStateException(
                    "cannot add routes " + routes.getClass().getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Lets in-process cleanup retries finish (or become debts) so that what is owed can be reported; the
     * removals a dead engine left of this run (it was resumed) are tried now too.
     */
    public void settleCleanups(String runId) throws InterruptedException {
        jobSupervisors.flushCleanups();
        pluginJobSupervisors.forEach(JobSupervisors::flushCleanups);
        cleanupRoutes.settle(cleanupRoutes.retryBudget());
        debts.retryDueOfRun(runId);
    }

    public Plugins plugins() {
        return types.plugins();
    }

    /** The task types this engine's workflows may use: the same registry {@code validate} and {@code trigger} read with. */
    public TaskTypes taskTypes() {
        return types;
    }

    /** Figures of every job place: remote_job's and plugins' job task types'. */
    public Map<JobPlace, SupervisorStats> jobStats() {
        Map<JobPlace, SupervisorStats> stats = new LinkedHashMap<>(jobSupervisors.stats());
        pluginJobSupervisors.forEach(h -> stats.putAll(h.stats()));
        return stats;
    }

    /** Where on_failure, on_success, on_retry and on_late notifications go, and those that could not be delivered. */
    public NotifyRoutes notifications() {
        return notifications;
    }

    public CleanupDebts cleanupDebts() {
        return debts;
    }

    /** Where attempt logs are written. */
    public Path logs() {
        return engineSettings.logs();
    }

    public JobSupervisors jobSupervisors() {
        return jobSupervisors;
    }

    /** Starts Camel once the caller has added its components and routes; camel: tasks work from then on. */
    public EngineSession startCamel() {
        camel.start();
        camelTasks = new CamelTaskExecutor(camel);
        executors.register("camel", camelTasks);
        return this;
    }

    public CamelContext camel() {
        return camel;
    }

    public Database database() {
        return db;
    }

    public Engine engine() {
        return engine;
    }

    public RunStore store() {
        return engine.store();
    }

    public SshTransport transport() {
        return transport;
    }

    public WorkflowLoader loader() {
        return types.loader(pools.names());
    }

    /** This process as a cluster node; empty unless it is a server. */
    public Optional<ClusterNode> node() {
        return Optional.ofNullable(node);
    }

    @Override
    public void close() throws Exception {
        engine.close();
        if (node != null) {
            node.close();
        }
        jobSupervisors.close();
        pluginJobSupervisors.forEach(JobSupervisors::close);
        placementWriter.shutdown();
        gpuReader.shutdownNow();
        cleanupRoutes.recordUnfinished();
        if (camelTasks != null) {
            camelTasks.close();
        }
        camel.close();
        transport.close();
        db.close();
    }
}
