package io.caravan.app.plugins;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;

import io.caravan.core.engine.TaskExecutors;
import io.caravan.core.engine.TaskResult;
import io.caravan.core.jobs.CleanupOutcomes;
import io.caravan.core.jobs.HostTurns;
import io.caravan.core.jobs.JobPlace;
import io.caravan.core.jobs.JobSupervisors;
import io.caravan.core.jobs.PoolReservations;
import io.caravan.core.jobs.SupervisorSettings;
import io.caravan.core.plugins.LoadedPlugin;
import io.caravan.core.plugins.Plugins;
import io.caravan.core.ssh.SshTransport;
import io.caravan.routes.remotejob.JobStaging;
import io.caravan.routes.remotejob.JobTaskExecutor;
import io.caravan.spi.JobBackend;
import io.caravan.spi.plugin.JobBackendContext;
import io.caravan.spi.plugin.JobTaskType;
import io.caravan.spi.plugin.PluginTask;
import io.caravan.spi.plugin.PluginTaskType;
import org.apache.camel.CamelContext;
import org.apache.camel.Component;

/**
 * Puts what loaded plugins contribute into one engine: the executors of their task types and their Camel
 * components. What a workflow may say (the task kinds) is {@link TaskTypes}', from the same plugins.
 */
public final class PluginInstaller {
    /** What a job task type of a plugin needs from the host. */
    public record Host(
            SshTransport transport,
            PoolReservations reservations,
            String owner,
            JobTaskExecutor.PlacementLog placements,
            BiFunction<JobPlace, JobBackend, CleanupOutcomes> cleanupOutcomes,
            HostTurns turns) {}

    private PluginInstaller() {}

    /** @return job supervisors created for plugins' job task types, for the caller to close */
    public static List<JobSupervisors> install(
            Plugins plugins, TaskExecutors executors, CamelContext camel, Host host) {
        List<JobSupervisors> created = new ArrayList<>();
        JobStaging staging = new JobStaging(host.transport());
        for (LoadedPlugin plugin : plugins.loaded()) {
            for (JobTaskType type : plugin.jobTaskTypes()) {
                JobSupervisors supervisors = new JobSupervisors(
                        place -> type.backend(new JobBackendContext(
                                place.target() == null ? null : JobSupervisors.shell(host.transport(), place.target()),
                                place.toString(),
                                place.base())),
                        SupervisorSettings.fromSystemProperties().withLinger(type.submitLinger()),
                        host.cleanupOutcomes(),
                        Clock.systemUTC(),
                        host.turns());
                created.add(supervisors);
                executors.registerAsync(
                        type.name(),
                        new JobTaskExecutor(
                                supervisors, host.reservations(), host.owner(), host.placements(), staging));
            }
            for (PluginTaskType type : plugin.taskTypes()) {
                executors.registerAsync(
                        type.name(),
                        inv -> type.run(new PluginTask(
                                        inv.runId(),
                                        inv.task().id(),
                                        inv.itemIndex(),
                                        inv.item(),
                                        inv.attempt(),
                                        inv.options(),
                                        inv.timeout()))
                                .handle((output, error) -> error == null
                                        ? TaskResult.success(output, output == null ? "" : String.valueOf(output))
                                        : TaskResult.failure(plugin.name() + ": " + rootMessage(error), "")));
            }
            plugin.components().forEach((scheme, component) -> camel.addComponent(scheme, (Component) component));
        }
        return created;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return t.getClass().getSimpleName() + ": " + t.getMessage();
    }
}
