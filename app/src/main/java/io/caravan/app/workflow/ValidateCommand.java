package io.caravan.app.workflow;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;

import io.caravan.app.plugins.TaskTypes;
import io.caravan.app.session.CaravanHome;
import io.caravan.core.workflow.InvalidWorkflowException;
import io.caravan.core.workflow.WorkflowDefinition;
import io.caravan.core.workflow.WorkflowLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Checks workflow files without running anything (SPEC §6), with the task types {@code run} and the server
 * know (plugins included), and without a database: a remote job's target that the file does not declare is
 * taken for a pool added with {@code caravan pool add-ssh}, and said so, for {@code run} to check.
 */
@Command(
        name = "validate",
        mixinStandardHelpOptions = true,
        description = "Check workflow files; print every problem as file:line:column: message. Opens no database.",
        exitCodeListHeading = "Exit codes:%n",
        exitCodeList = {"0:every file is valid", "2:a file is invalid or unreadable"})
public final class ValidateCommand implements Callable<Integer> {
    public static final int INVALID = 2;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Workflow YAML files.")
    List<Path> files;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        return check(
                TaskTypes.load(CaravanHome.resolve()),
                files,
                spec.commandLine().getOut(),
                spec.commandLine().getErr());
    }

    /** Checks each file, prints "ok" or its problems; 0 when all are valid, else {@link #INVALID}. */
    public static int check(TaskTypes types, List<Path> files, PrintWriter out, PrintWriter err) {
        types.plugins().refused().forEach(r -> err.println("caravan: " + r));
        WorkflowLoader loader = types.loaderWithUncheckedPools();
        boolean allValid = true;
        for (Path file : files) {
            try {
                if (Files.isDirectory(file)) {
                    throw new IOException("a directory: give its workflow files (" + file.resolve("*.yaml") + ")");
                }
                if (!Files.isRegularFile(file)) {
                    throw new IOException("no such file");
                }
                WorkflowDefinition w = loader.load(file);
                // println, not printf: a Formatter's first use (its pattern, the locale's digits for %d) costs
                // this short command 10-20 ms
                out.println(
                        file + ": ok (workflow '" + w.id() + "', " + w.tasks().size() + " tasks"
                                + (w.schedule() == null ? "" : ", schedule \"" + w.schedule() + "\"") + ")");
                Set<String> pools = WorkflowLoader.uncheckedTargets(w);
                if (!pools.isEmpty()) {
                    out.println(
                            file + ": note: " + String.join(", ", pools) + " not declared in the file: taken for pool"
                                    + (pools.size() == 1 ? "" : "s")
                                    + " added with `caravan pool add-ssh`, checked when the workflow runs");
                }
            } catch (InvalidWorkflowException e) {
                e.errors().forEach(err::println);
                allValid = false;
            } catch (IOException e) {
                err.println(file + ":1:1: cannot read: " + e.getMessage());
                allValid = false;
            }
        }
        out.flush();
        err.flush();
        return allValid ? 0 : INVALID;
    }
}
