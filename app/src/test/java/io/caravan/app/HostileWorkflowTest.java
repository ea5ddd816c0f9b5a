package io.caravan.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

import io.caravan.app.MainTest.Captured;
import io.caravan.app.fixtures.TempCaravanHome;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Workflow files built to exhaust the loader, through {@code validate} and {@code run} as users call them: each is
 * refused with one line naming the file and the place, exit 2, never an OutOfMemoryError, a StackOverflowError or a
 * stack trace. Before the limits the doubling file grew {@code validate} to 6.4 GB and the nested one ended in a
 * 1 025-line StackOverflowError. The time each takes is printed; the bound asserted is only there to catch a blow-up.
 */
public class HostileWorkflowTest {
    private static final long BLOW_UP_MS = 10_000;

    @RegisterExtension
    final TempCaravanHome caravanHome = new TempCaravanHome();

    /** The classic: nine levels of ten aliases each, 10^9 strings once expanded. */
    static String billionLaughs() {
        StringBuilder yaml =
                new StringBuilder("workflow: lol\ntasks:\n  a: { shell: \"true\" }\nparams:\n  l0: &l0 \"lol\"\n");
        for (int level = 1; level <= 9; level++) {
            String previous = "*l" + (level - 1);
            yaml.append("  l")
                    .append(level)
                    .append(": &l")
                    .append(level)
                    .append(" [")
                    .append(String.join(", ", Collections.nCopies(10, previous)))
                    .append("]\n");
        }
        return yaml.toString();
    }

    /** 24 levels of lists of two aliases of the level below: 48 aliases, under SnakeYAML's 50, 2^25 values. */
    public static String doubling() {
        StringBuilder yaml =
                new StringBuilder("workflow: dbl\ntasks:\n  a: { shell: \"true\" }\nparams:\n  a0: &a0 [x, x]\n");
        for (int level = 1; level <= 24; level++) {
            yaml.append("  a")
                    .append(level)
                    .append(": &a")
                    .append(level)
                    .append(" [*a")
                    .append(level - 1)
                    .append(", *a")
                    .append(level - 1)
                    .append("]\n");
        }
        return yaml.toString();
    }

    static String nested(int levels) {
        return "workflow: deep\ntasks:\n  a: { shell: \"true\" }\nparams:\n  x: " + "[".repeat(levels)
                + "]".repeat(levels) + "\n";
    }

    static String oversize() {
        String line = "# " + "x".repeat(77) + "\n";
        return "workflow: big\ntasks:\n  a: { shell: \"true\" }\n" + line.repeat((2 << 20) / line.length());
    }

    @Test
    void theDoublingFileIsAboutSixHundredBytesAndUnderSnakeYamlsAliasLimit() {
        String yaml = doubling();
        System.out.println("doubling file: " + yaml.length() + " bytes");
        assertThat(yaml.length()).isBetween(550, 750);
        assertThat(yaml.chars().filter(c -> c == '*').count()).isEqualTo(48);
    }

    /** A hostile file: its name, its text and what its one line says. */
    private record Hostile(String name, String yaml, String expected) {}

    private static List<Hostile> hostileFiles() {
        return List.of(
                new Hostile("billion-laughs.yaml", billionLaughs(), "values once aliases are expanded"),
                new Hostile("doubling.yaml", doubling(), "values once aliases are expanded"),
                new Hostile("nested.yaml", nested(10_000), "nested more than 50 levels deep"),
                new Hostile("oversize.yaml", oversize(), "larger than 1 MiB"),
                new Hostile(
                        "recursive.yaml",
                        "workflow: r\ntasks:\n  a: { shell: \"true\" }\nparams:\n  x: &x [a, *x]\n",
                        "refers to a list or mapping that contains it"));
    }

    @Test
    void validateRefusesEachHostileFileWithOneLineAndExitTwo() throws Exception {
        for (Hostile h : hostileFiles()) {
            refused("validate", h);
        }
    }

    @Test
    void runRefusesEachHostileFileBeforeAnythingRuns() throws Exception {
        for (Hostile h : hostileFiles()) {
            refused("run", h);
        }
        assertThat(MainTest.run("runs").out()).doesNotContain("lol", "dbl", "deep", "big");
    }

    @Test
    void aWorkflowWithinTheLimitsStillLoads() throws Exception {
        Path ok = Files.writeString(
                caravanHome.home().resolve("ok.yaml"), nested(40) + "  y: &y [1, 2]\n  z: [*y, *y]\n");

        Captured validate = MainTest.run("validate", ok.toString());

        assertThat(validate.exitCode()).as(validate.err()).isZero();
    }

    private void refused(String command, Hostile hostile) throws Exception {
        String name = hostile.name();
        String expected = hostile.expected();
        Path file = Files.writeString(caravanHome.home().resolve(name), hostile.yaml());
        long start = System.nanoTime();
        Captured c = MainTest.run(command, file.toString());
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.printf(
                "%s %s (%d bytes): exit %d in %d ms: %s%n",
                command, name, Files.size(file), c.exitCode(), ms, c.err().strip());
        List<String> problems =
                c.err().lines().filter(l -> l.startsWith(file.toString())).toList();
        assertThat(c.exitCode()).as(c.err()).isEqualTo(2);
        assertThat(problems).as(c.err()).hasSize(1);
        assertThat(problems.get(0))
                .matches(Pattern.quote(file.toString()) + ":\\d+:\\d+: .+")
                .contains(expected);
        assertThat(c.out() + c.err()).doesNotContain("Exception", "Error:", "\tat ", "StackOverflow", "OutOfMemory");
        assertThat(c.err().lines().toList()).as("the one line and nothing else").hasSize(1);
        assertThat(ms).as("no blow-up").isLessThan(BLOW_UP_MS);
    }
}
