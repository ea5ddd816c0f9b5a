package io.caravan.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.caravan.app.fixtures.CaravanRuns;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scale benchmark runs end to end on two real sshd instances (tiny M: the figures belong in the README). */
class BenchScaleTest {
    private static final Pattern LINE = Pattern.compile(
            "peak_heap_mb=(\\d+) poll_round_ms_p50=(\\d+\\.\\d) poll_commands_per_host_round=(\\d+\\.\\d\\d) failed=(\\d+)");

    @TempDir
    Path tmp;

    @Test
    void endsWithOneLineOfFiguresAndLeavesNothingBehind() throws Exception {
        Path dir = tmp.resolve("scale");
        CaravanRuns.Result r = CaravanRuns.cli(
                "bench",
                "scale",
                "--hosts",
                "2",
                "--jobs",
                "20",
                "--rounds",
                "3",
                "--poll-interval",
                "500ms",
                "--dir",
                dir.toString());

        assertThat(r.exit()).as(r.out()).isZero();
        List<String> lines = r.out().strip().lines().toList();
        Matcher m = LINE.matcher(lines.get(lines.size() - 1));
        assertThat(m.matches()).as(r.out()).isTrue();
        assertThat(m.group(4)).isEqualTo("0");
        assertThat(Long.parseLong(m.group(1))).isPositive();
        // every round sent its one status command, nothing else (the jobs write no log)
        assertThat(m.group(3)).isEqualTo("1.00");
        assertThat(r.out()).contains("all 20 jobs active").contains("0 job directories, 0 job processes");
        // the sshd instances, the jobs' shells and every directory are gone
        assertThat(dir).doesNotExist();
        assertThat(scaleProcesses(dir)).isEmpty();
    }

    private static List<ProcessHandle> scaleProcesses(Path dir) throws Exception {
        String prefix = dir.toString();
        try (var procs = Files.list(Path.of("/proc"))) {
            return procs.filter(p -> p.getFileName().toString().matches("\\d+"))
                    .filter(p -> {
                        try {
                            return new String(Files.readAllBytes(p.resolve("cmdline"))).contains(prefix)
                                    || Files.readSymbolicLink(p.resolve("cwd"))
                                            .toString()
                                            .startsWith(prefix);
                        } catch (Exception e) {
                            return false;
                        }
                    })
                    .map(p -> ProcessHandle.of(Long.parseLong(p.getFileName().toString())))
                    .flatMap(Optional::stream)
                    .toList();
        }
    }
}
