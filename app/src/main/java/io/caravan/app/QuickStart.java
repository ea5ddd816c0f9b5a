package io.caravan.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;

import io.caravan.app.plugins.TaskTypes;
import io.caravan.app.session.CaravanHome;
import io.caravan.app.workflow.RunListing;
import io.caravan.app.workflow.RunsCommand;
import io.caravan.app.workflow.ValidateCommand;

/**
 * The commands users run all day, answered without building picocli's model of every command (reflection over
 * all of them, a good part of a short command's time on a small machine): {@code caravan} and {@code caravan --help}
 * from the usage text kept in {@code usage.txt} (MainTest holds it equal to what picocli renders),
 * {@code caravan validate FILE...}, and a bare {@code caravan runs} on the embedded database through
 * {@link RunListing}. Any other form, any option included, goes to picocli as before: empty.
 */
final class QuickStart {
    static final String USAGE = "usage.txt";

    private QuickStart() {}

    static OptionalInt run(String[] args, PrintWriter out, PrintWriter err) {
        if (args.length == 0 || args.length == 1 && (args[0].equals("--help") || args[0].equals("-h"))) {
            out.print(usage());
            out.flush();
            return OptionalInt.of(0);
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        // an option or an @file (picocli expands those) is picocli's to read
        if (rest.stream().anyMatch(a -> a.startsWith("-") || a.startsWith("@"))) {
            return OptionalInt.empty();
        }
        if (args[0].equals("validate") && !rest.isEmpty()) {
            return validate(rest, out, err);
        }
        if (args[0].equals("runs") && rest.isEmpty() && System.getenv("CARAVAN_DB") == null) {
            return runs(out);
        }
        return OptionalInt.empty();
    }

    static String usage() {
        try (InputStream in = QuickStart.class.getResourceAsStream(USAGE)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static OptionalInt validate(List<String> files, PrintWriter out, PrintWriter err) {
        TaskTypes types;
        try {
            types = TaskTypes.load(CaravanHome.resolve());
        } catch (RuntimeException e) {
            return OptionalInt.empty(); // picocli's path fails the same way and says it as every command does
        }
        return OptionalInt.of(
                ValidateCommand.check(types, files.stream().map(Path::of).toList(), out, err));
    }

    private static OptionalInt runs(PrintWriter out) {
        Optional<List<RunListing.Row>> rows;
        try {
            rows = RunListing.embedded(CaravanHome.resolve(), RunsCommand.DEFAULT_LIMIT);
        } catch (RuntimeException e) {
            return OptionalInt.empty();
        }
        if (rows.isEmpty()) {
            return OptionalInt.empty();
        }
        RunListing.print(rows.get(), out);
        out.flush();
        return OptionalInt.of(0);
    }
}
