package io.caravan.core.engine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.caravan.core.runs.RunState;
import io.caravan.core.runs.TaskState;
import io.caravan.core.storage.Database;
import io.caravan.core.storage.DatabaseConfig;
import io.caravan.core.storage.Run;
import io.caravan.core.storage.RunStore;
import io.caravan.core.storage.TaskInstance;
import io.caravan.core.workflow.TaskKind;
import io.caravan.core.workflow.TaskKinds;
import io.caravan.core.workflow.Template;
import io.caravan.core.workflow.WorkflowDefinition;
import io.caravan.core.workflow.WorkflowLoader;

/** An engine on a fresh H2 file database, with shell tasks and an in-process "probe" kind for tests. */
final class EngineFixture implements AutoCloseable {
    final Path home;
    final Database db;
    final RunStore store;
    final TaskExecutors executors = new TaskExecutors().register("shell", new ShellTaskExecutor());
    final TaskKinds kinds = TaskKinds.builtIn().register(TaskKind.scalar("probe", Template.Quoting.PLAIN, false));
    private final Engine engine;

    EngineFixture(Path home) {
        this.home = home;
        this.db = Database.open(DatabaseConfig.embedded(home));
        this.store = new RunStore(db);
        this.engine = new Engine(store, executors, EngineSettings.defaults(home), Clock.systemUTC());
    }

    /** Loads the YAML, runs it to the end; the finished run. */
    Result run(String yaml) throws Exception {
        Path file = Files.writeString(Files.createTempFile(home, "wf", ".yaml"), yaml);
        WorkflowDefinition workflow = new WorkflowLoader(kinds).load(file);
        Run run = engine.create(workflow, "test", yaml);
        RunState state = engine.run(run, workflow, RunListener.NONE);
        return new Result(run.id(), state);
    }

    /** Task states of a run, "task" or "task[i]" to state. */
    Map<String, TaskState> instanceStates(String runId) {
        return store.instances(runId).stream()
                .collect(Collectors.toMap(
                        i -> i.taskId() + "[" + i.itemIndex() + "]", TaskInstance::state, (a, b) -> a, TreeMap::new));
    }

    Map<String, TaskState> taskStates(String runId) {
        Map<String, TaskState> states = new TreeMap<>();
        store.runTasks(runId).forEach(t -> states.put(t.taskId(), t.state()));
        return states;
    }

    Object output(String runId, String taskId) {
        return store.runTasks(runId).stream()
                .filter(t -> t.taskId().equals(taskId))
                .findFirst()
                .map(t -> Json.read(t.outputJson()))
                .orElse(null);
    }

    record Result(String runId, RunState state) {}

    @Override
    public void close() {
        engine.close();
        db.close();
    }
}
