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
    private final TaskExecutors executors;
    private final Engine engine;
    private CamelTaskExecutor camelTasks;
    private final TaskKinds kinds = TaskKinds.builtIn();

    public EngineSession(Path home, DatabaseOptions database) {
        this.db = Database.open(database.config(home));
        this.transport = SshTransport.start(SshSettings.defaults());
        this.camel = new DefaultCamelContext();
        // a fixed name: Quartz jobs stored in the database find this context again after a restart
        camel.getCamelContextExtension().setName("caravan");
        camel.getRegistry().bind("sshTransport", transport);
        this.executors = new TaskExecutors()
                .register("shell", new ShellTaskExecutor())
                .register("ssh", new SshTaskExecutor(transport));
        this.engine = new Engine(new RunStore(db), executors, EngineSettings.defaults(home), Clock.systemUTC());
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
        return new WorkflowLoader(kinds);
    }

    @Override
    public void close() throws Exception {
        engine.close();
        if (camelTasks != null) {
            camelTasks.close();
        }
        camel.close();
        transport.close();
        db.close();
    }
}
