package io.caravan.app.bench.fanout;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.caravan.app.bench.Scratch;
import io.caravan.app.session.DatabaseOptions;
import io.caravan.core.storage.Database;
import io.caravan.testkit.SshdLog;

/**
 * R: A's workflow as a user runs it, {@code caravan run fanout.yaml} in a process of its own, timed from the
 * process's start to its exit: the JVM's start, class loading, the database's opening, the engine's start and
 * its end are all in. The process is this one's JVM with its options (the launcher's class data sharing
 * archive, {@code CARAVAN_JAVA_OPTS}) and class path. Its home's database is created and migrated first, untimed,
 * as a user's home exists before their next run.
 */
final class WholeRun {
    static final String NAME = "R caravan run, whole process";
    private static final long TIMEOUT_MINUTES = 10;

    private WholeRun() {}

    static FanoutResult run(Rig rig, int jobs) throws Exception {
        Path home = Files.createTempDirectory("caravan-bench-run-");
        try {
            Path file = home.resolve("fanout.yaml");
            // the home's database is created and migrated here, not in the timed run
            Database.open(new DatabaseOptions().config(home.resolve("home"))).close();
            Files.writeString(file, Approaches.workflow(rig, jobs, "r"));
            List<SshdLog.Mark> marks = rig.marks();
            long start = System.nanoTime();
            int exit = run(home, file);
            long wall = (System.nanoTime() - start) / 1_000_000;
            return new FanoutResult(
                    NAME,
                    jobs,
                    rig.hosts.size(),
                    wall,
                    exit == 0 ? 0 : jobs, // a failed run says which items failed in its output, not here
                    rig.logins(marks),
                    rig.drops(marks),
                    -1,
                    rig.dirsLeft("r"));
        } finally {
            Scratch.deleteQuietly(home);
        }
    }

    private static int run(Path home, Path file) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        List<String> jvm = ManagementFactory.getRuntimeMXBean().getInputArguments();
        if (jvm.stream().noneMatch(a -> a.startsWith("-XX:TieredStopAtLevel"))) {
            // C1 alone, as the launcher starts a `caravan run`: a bench started otherwise (a test's JVM) would time
            // C2's compiling too
            command.add("-XX:TieredStopAtLevel=1");
        }
        command.addAll(jvm);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.caravan.app.Main", "run"));
        command.add(file.toString());
        Path output = home.resolve("run.out");
        ProcessBuilder pb =
                new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().put("CARAVAN_HOME", home.resolve("home").toString());
        Process p = pb.start();
        try {
            if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                throw new IllegalStateException("caravan run did not end within " + TIMEOUT_MINUTES + " minutes");
            }
        } finally {
            p.destroyForcibly();
        }
        if (p.exitValue() != 0) {
            String out = Files.readString(output, StandardCharsets.UTF_8);
            System.err.println(
                    "R: caravan run exited " + p.exitValue() + ": " + out.substring(Math.max(0, out.length() - 2000)));
        }
        return p.exitValue();
    }
}
