package io.caravan.app.cleanup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.stream.Stream;

import io.caravan.core.storage.Run;
import io.caravan.core.storage.RunStore;
import io.caravan.core.workflow.InvalidWorkflowException;
import io.caravan.core.workflow.WorkflowLimits;
import io.caravan.core.workflow.WorkflowLoader;
import io.caravan.routes.remotejob.RemoteJobConfiguration;

/** The job bases this Caravan knows: the default, and each {@code workdir_base} of its workflows and recent runs. */
final class KnownBases {
    /** Runs looked at: enough to cover every workflow a site runs, few enough to read in well under a second. */
    static final int RUNS = 1000;

    private KnownBases() {}

    static Set<String> of(Path workflows, RunStore runs) {
        Set<String> bases = new LinkedHashSet<>();
        bases.add(RemoteJobConfiguration.DEFAULT_BASE);
        if (Files.isDirectory(workflows)) {
            try (Stream<Path> files = Files.list(workflows)) {
                for (Path file : files.filter(p ->
                                p.toString().endsWith(".yaml") || p.toString().endsWith(".yml"))
                        .sorted()
                        .toList()) {
                    bases.addAll(basesOf(file));
                }
            } catch (IOException e) {
                // an unreadable directory configures nothing
            }
        }
        Set<String> seen = new HashSet<>();
        for (Run run : runs.runs(RUNS)) {
            if (run.sourceYaml() != null && seen.add(run.sourceYaml())) {
                bases.addAll(WorkflowLoader.valuesOf(
                        "workdir_base", Path.of(String.valueOf(run.sourcePath())), run.sourceYaml()));
            }
        }
        return bases;
    }

    private static Set<String> basesOf(Path file) {
        try {
            return WorkflowLoader.valuesOf(
                    "workdir_base", file, WorkflowLoader.readYaml(file, WorkflowLimits.DEFAULTS));
        } catch (IOException | InvalidWorkflowException e) {
            return Set.of(); // an unreadable or invalid workflow configures nothing
        }
    }
}
