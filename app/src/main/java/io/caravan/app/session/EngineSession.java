package io.caravan.app.session;

import java.nio.file.Path;
import java.time.Clock;

import io.caravan.core.engine.Engine;
import io.caravan.core.engine.EngineSettings;
import io.caravan.core.engine.ShellTaskExecutor;
import io.caravan.core.engine.SshTaskExecutor;
import io.caravan.core.engine.TaskExecutors;
import io.caravan.core.ssh.SshSettings;
import io.caravan.core.ssh.SshTransport;
import io.caravan.core.storage.Database;
import io.caravan.core.storage.RunStore;
import io.caravan.core.workflow.TaskKinds;
import io.caravan.core.workflow.WorkflowLoader;
import io.caravan.routes.tasks.CamelTaskExecutor;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;

/** One process's engine: database, SSH transport, Camel and the executors of every built-in task type. */
public final class EngineSession implements AutoCloseable {
    private final Database db;
    private final SshTransport transport;
    private final CamelContext camel;
    private final CamelTaskExecutor camelTasks;
    private final Engine engine;
    private final TaskKinds kinds = TaskKinds.builtIn();

    public EngineSession(Path home, DatabaseOptions database) {
        this.db = Database.open(database.config(home));
        this.transport = SshTransport.start(SshSettings.defaults());
        this.camel = new DefaultCamelContext();
        camel.getRegistry().bind("sshTransport", transport);
        camel.start();
        this.camelTasks = new CamelTaskExecutor(camel);
        TaskExecutors executors = new TaskExecutors()
                .register("shell", new ShellTaskExecutor())
                .register("ssh", new SshTaskExecutor(transport))
                .register("camel", camelTasks);
        this.engine = new Engine(new RunStore(db), executors, EngineSettings.defaults(home), Clock.systemUTC());
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
        return new WorkflowLoader(kinds);
    }

    @Override
    public void close() throws Exception {
        engine.close();
        camelTasks.close();
        camel.close();
        transport.close();
        db.close();
    }
}
