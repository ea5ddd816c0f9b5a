package io.caravan.plugins.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.caravan.spi.JobResources;
import io.caravan.spi.JobSpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Issue 18: resources and slurm_job's options as sbatch arguments, and the sbatch_args Caravan refuses. */
class SbatchOptionsTest {

    @Test
    void resourcesAndOptionsBecomeOneArgumentEach() {
        JobSpec job = new JobSpec(
                "j",
                "true",
                Map.of(),
                "o",
                Map.of(
                        "partition",
                        "gpu",
                        "account",
                        "proj 1",
                        "qos",
                        "high",
                        "constraint",
                        "a100&ib",
                        "reservation",
                        "maint",
                        "time_limit",
                        "10",
                        "sbatch_args",
                        JobSpec.joinList(List.of("--comment=x y", "--nice=5"))),
                new JobResources(2, 256L << 20, 2, "h100", Duration.ofSeconds(290)));

        assertThat(SbatchOptions.of(job).args())
                .containsExactly(
                        "--partition=gpu",
                        "--account=proj 1",
                        "--qos=high",
                        "--constraint=a100&ib",
                        "--reservation=maint",
                        "--time=5",
                        "--cpus-per-task=2",
                        "--mem=256M",
                        "--gres=gpu:h100:2",
                        "--comment=x y",
                        "--nice=5");
        assertThat(SlurmScripts.submit("/b", List.of(job), SbatchOptions.of(job)))
                .as("each argument quoted for the shell")
                .contains(" '--account=proj 1' ")
                .contains(" '--constraint=a100&ib' ")
                .contains(" '--comment=x y' '--nice=5' \"$batch.sh\"");
    }

    @Test
    void withoutResourcesTimeLimitStillGivesTheTimeAndAGpuWithoutATypeIsAnyGpu() {
        JobSpec limited = new JobSpec("j", "true", Map.of(), "o", Map.of("time_limit", "02:00:00"));
        JobSpec gpu = new JobSpec("j", "true", Map.of(), "o", Map.of(), new JobResources(0, 0, 1, null, null));

        assertThat(SbatchOptions.of(limited).args()).containsExactly("--time=02:00:00");
        assertThat(SbatchOptions.of(gpu).args()).containsExactly("--gres=gpu:1");
        assertThat(SbatchOptions.of(new JobSpec("j", "true", Map.of(), "o")).args())
                .isEmpty();
    }

    @Test
    void sbatchArgumentsThatAreOptionsCaravanDoesNotSetPass() {
        assertThat(SbatchArgsCheck.problems(Map.of(
                        "sbatch_args",
                        List.of(
                                "--comment=x",
                                "--mem-per-cpu=1G",
                                "--gres=nvme:1",
                                "-Hv",
                                "--exclusive",
                                "--time-min=5",
                                "--export=ALL"))))
                .isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "--array=0-3",
                "--arr=0-3",
                "--output=/tmp/x",
                "-o/tmp/x",
                "--chdir=/",
                "-D/",
                "--job-name=x",
                "-Jx",
                "--parsable",
                "--wait",
                "-W",
                "-Hvo/tmp/x",
                "--wrap=true",
                "--test-only"
            })
    void optionsCaravanSetsAreRefusedSayingWhy(String arg) {
        List<Map.Entry<String, String>> problems =
                SbatchArgsCheck.problems(Map.of("sbatch_args", List.of("--comment=x", arg)));

        assertThat(problems).hasSize(1);
        assertThat(problems.get(0).getKey()).as("reported at its element").isEqualTo("sbatch_args[1]");
        assertThat(problems.get(0).getValue())
                .startsWith("sbatch_args: '" + arg + "' is refused: ")
                .containsAnyOf("Caravan sets it", "script:", "hold the submit", "submit nothing");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "--partition=x",
                "-pdebug",
                "--time=5",
                "-t5",
                "--mem=1G",
                "--cpus-per-task=2",
                "-c2",
                "--gpus=1",
                "--account=a",
                "--qos=q",
                "--constraint=c",
                "-Cc",
                "--reservation=r"
            })
    void optionsWithTheirOwnKeyAreRefusedNamingTheKey(String arg) {
        assertThat(SbatchArgsCheck.problems(Map.of("sbatch_args", List.of(arg))))
                .singleElement()
                .satisfies(
                        p -> assertThat(p.getValue()).contains("is refused: ").contains(" with "));
    }

    @Test
    void anElementThatIsNotOneOptionIsRefused() {
        assertThat(SbatchArgsCheck.problems(
                        Map.of("sbatch_args", List.of("--comment", "x", "-", "--", "--nice={{ params.n }}"))))
                .extracting(Map.Entry::getKey)
                .containsExactly("sbatch_args[1]", "sbatch_args[2]", "sbatch_args[3]", "sbatch_args[4]");
        assertThat(SbatchArgsCheck.problems(Map.of("sbatch_args", "--comment=x")))
                .singleElement()
                .satisfies(p -> assertThat(p.getValue()).contains("must be a list, each element one argument"));
        assertThat(SbatchArgsCheck.problems(Map.of("account", List.of("a"))))
                .singleElement()
                .satisfies(p -> assertThat(p.getValue()).isEqualTo("account must be a single value"));
    }
}
