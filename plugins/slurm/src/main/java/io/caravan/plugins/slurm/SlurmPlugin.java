package io.caravan.plugins.slurm;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.caravan.spi.JobBackend;
import io.caravan.spi.plugin.CaravanPlugin;
import io.caravan.spi.plugin.JobBackendContext;
import io.caravan.spi.plugin.JobTaskType;
import io.caravan.spi.plugin.PluginApi;
import io.caravan.spi.plugin.PluginRegistry;

/**
 * {@code slurm_job:} jobs on a Slurm cluster whose login node is the task's target. remote_job's options, plus
 * {@code partition}, {@code time_limit} (Slurm's --time), {@code account}, {@code qos}, {@code constraint},
 * {@code reservation} and {@code sbatch_args}; the task's {@code resources:} become sbatch's ({@link SbatchOptions}).
 * A fan-out becomes one job array.
 */
public final class SlurmPlugin implements CaravanPlugin {

    @Override
    public String name() {
        return "slurm";
    }

    @Override
    public String version() {
        return "0.1.0";
    }

    @Override
    public String apiVersion() {
        return PluginApi.VERSION;
    }

    @Override
    public void register(PluginRegistry registry) {
        registry.jobTaskType(new JobTaskType() {
            @Override
            public String name() {
                return "slurm_job";
            }

            @Override
            public Set<String> extraOptions() {
                return SbatchOptions.OPTIONS;
            }

            @Override
            public List<Map.Entry<String, String>> optionProblems(Map<String, Object> options) {
                return SbatchArgsCheck.problems(options);
            }

            @Override
            public boolean needsTarget() {
                return true;
            }

            @Override
            public Duration submitLinger() {
                return Duration.ofSeconds(1); // a fan-out gathers into one array rather than several
            }

            @Override
            public JobBackend backend(JobBackendContext context) {
                return new SlurmJobBackend(context.shell(), context.where(), context.base());
            }
        });
    }
}
