package io.caravan.app;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import io.caravan.app.bench.Scratch;
import io.caravan.app.session.DatabaseOptions;
import io.caravan.app.session.StoreSession;
import io.caravan.app.workflow.RunListing;

/**
 * What the launcher runs once per build under {@code -XX:ArchiveClassesAtExit}: the paths of the everyday commands
 * (the usage, validating the demo's workflow, listing runs the quick way and through the full database open, picocli's
 * model and a subcommand's help, and the demo: a whole run with remote jobs), so that the classes they load go into a class data sharing archive that later
 * starts map instead of loading, parsing and verifying each. On a temporary CARAVAN_HOME: the user's is not touched.
 */
public final class StartupTraining {
    private StartupTraining() {}

    public static void main(String[] args) throws Exception {
        Path home = Files.createTempDirectory("caravan-training-");
        System.setProperty("caravan.home", home.toString());
        System.setProperty("org.jboss.logging.provider", "slf4j");
        StringWriter sink = new StringWriter();
        PrintWriter out = new PrintWriter(sink);
        try {
            Path workflow = home.resolve("demo.yaml");
            try (InputStream in = StartupTraining.class.getResourceAsStream("demo/demo.yaml")) {
                Files.copy(in, workflow);
            }
            QuickStart.run(new String[] {"--help"}, out, out);
            QuickStart.run(new String[] {"validate", workflow.toString()}, out, out);
            try (StoreSession session = new StoreSession(home, new DatabaseOptions())) {
                session.store()
                        .createRun("training", "manual", "{}", null, "workflow: training", List.of("t"), Instant.now());
                session.store().runs(1);
            }
            RunListing.print(RunListing.embedded(home, 1).orElseThrow(), out);
            Main.commandLineForTests(out, out).execute("runs", "--help");
            // a whole run: the engine, Camel and the remote-job routes, the SSH client, the database at work; the
            // demo's own loopback host (its printing goes where the launcher sends the training's, nowhere)
            Main.commandLineForTests(out, out).execute("demo");
        } finally {
            Scratch.deleteQuietly(home);
        }
    }
}
