package io.caravan.app.plugins;

import java.nio.file.Path;
import java.util.Set;

import io.caravan.core.plugins.LoadedPlugin;
import io.caravan.core.plugins.PluginLoader;
import io.caravan.core.plugins.Plugins;
import io.caravan.core.workflow.OptionCheck;
import io.caravan.core.workflow.RemoteJobKind;
import io.caravan.core.workflow.TaskKind;
import io.caravan.core.workflow.TaskKinds;
import io.caravan.core.workflow.WorkflowLoader;
import io.caravan.spi.plugin.JobTaskType;
import io.caravan.spi.plugin.PluginTaskType;

/**
 * The one registry of task types every command reads workflows with ({@code validate}, {@code run},
 * {@code trigger}, the server, its API): the built-in ones and those of the plugins found where
 * {@link PluginDirectories} says (bundled, {@code --plugins DIR} or {@code CARAVAN_HOME/plugins}). It knows
 * what a workflow may say, not how a task runs: {@link PluginInstaller} puts the executors into an engine, from
 * the same loaded plugins. Loading needs no database.
 */
public final class TaskTypes {
    private final Plugins plugins;
    private final TaskKinds kinds;

    private TaskTypes(Plugins plugins, TaskKinds kinds) {
        this.plugins = plugins;
        this.kinds = kinds;
    }

    /** The built-in task types and those of the plugins this home and the command line point to. */
    public static TaskTypes load(Path home) {
        return of(PluginLoader.load(PluginDirectories.of(home), TaskTypes.class.getClassLoader()));
    }

    public static TaskTypes of(Plugins plugins) {
        TaskKinds kinds = TaskKinds.builtIn();
        for (LoadedPlugin plugin : plugins.loaded()) {
            for (JobTaskType type : plugin.jobTaskTypes()) {
                kinds.register(RemoteJobKind.jobKind(
                        type.name(), type.extraOptions(), type.needsTarget(), type::optionProblems));
            }
            for (PluginTaskType type : plugin.taskTypes()) {
                kinds.register(TaskKind.mapping(
                        type.name(), type.options(), type.shellOptions(), false, false, OptionCheck.NONE));
            }
        }
        return new TaskTypes(plugins, kinds);
    }

    public Plugins plugins() {
        return plugins;
    }

    public TaskKinds kinds() {
        return kinds;
    }

    /** @param storedPools the pools in the database that tasks may target */
    public WorkflowLoader loader(Set<String> storedPools) {
        return new WorkflowLoader(kinds, storedPools);
    }

    /** For checking without a database: a target that is neither a connection nor a pool of the file is taken for a stored pool. */
    public WorkflowLoader loaderWithUncheckedPools() {
        return WorkflowLoader.withUncheckedStoredPools(kinds);
    }
}
