package io.caravan.app.workflow;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import io.caravan.core.workflow.InvalidWorkflowException;
import io.caravan.core.workflow.TaskKinds;
import io.caravan.core.workflow.WorkflowDefinition;
import io.caravan.core.workflow.WorkflowLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Checks workflow files without running anything (SPEC §6). */
@Command(name = "validate", mixinStandardHelpOptions = true,
         description = "Check workflow files; print every problem as file:line:column: message.",
         exitCodeListHeading = "Exit codes:%n",
         exitCodeList = {"0:every file is valid", "2:a file is invalid or unreadable"})
public final class ValidateCommand implements Callable<Integer> {
    public static final int INVALID = 2;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Workflow YAML files.")
    List<Path> files;

    @Spec
    CommandSpec spec;

    @picocli.CommandLine.Mixin
    io.caravan.app.session.DatabaseOptions database;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        WorkflowLoader loader = new WorkflowLoader(TaskKinds.builtIn(), storedPools());
        boolean allValid = true;
        for (Path file : files) {
            try {
                if (!Files.isRegularFile(file)) {
                    throw new IOException("no such file");
                }
                WorkflowDefinition w = loader.load(file);
                out.printf("%s: ok (workflow '%s', %d tasks%s)%n", file, w.id(), w.tasks().size(),
                        w.schedule() == null ? "" : ", schedule \"" + w.schedule() + "\"");
            } catch (InvalidWorkflowException e) {
                e.errors().forEach(err::println);
                allValid = false;
            } catch (IOException e) {
                err.println(file + ":1:1: cannot read: " + e.getMessage());
                allValid = false;
            }
        }
        err.flush();
        return allValid ? 0 : INVALID;
    }

    /**
     * Pools added with {@code pool add-ssh}, which tasks may target; none when there is no database yet
     * (validating must not need one, nor create one).
     */
    private java.util.Set<String> storedPools() {
        Path home = io.caravan.app.session.CaravanHome.resolve();
        boolean embedded = database.config(home).url().startsWith("jdbc:h2:file:");
        if (embedded && !Files.exists(home.resolve("db").resolve("caravan.mv.db"))) {
            return java.util.Set.of();
        }
        java.util.Optional<HoldingServer> server = HoldingServer.of(home, database);
        if (server.isPresent()) {
            try {
                return server.get().poolNames(); // the server holds the database: it knows the stored pools
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return java.util.Set.of();
            } catch (RuntimeException e) {
                return java.util.Set.of();
            }
        }
        try (io.caravan.app.session.StoreSession session = new io.caravan.app.session.StoreSession(home, database)) {
            return new io.caravan.core.storage.PoolStore(session.database()).pools().keySet();
        } catch (RuntimeException e) {
            return java.util.Set.of();
        }
    }
}
