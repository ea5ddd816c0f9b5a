package io.caravan.plugins.slurm;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.caravan.spi.JobResources;
import io.caravan.spi.JobSpec;

/**
 * The sbatch arguments a job asks for, besides those Caravan sets for every submit ({@link SbatchArgsCheck#SET}):
 * its {@code resources:} ({@code --cpus-per-task}, {@code --mem}, {@code --gres=gpu[:type]:N}, {@code --time}), the
 * slurm_job options {@code partition}, {@code account}, {@code qos}, {@code constraint}, {@code reservation} and
 * {@code time_limit}, then each element of {@code sbatch_args} as it is. Each is one argument, with its value
 * after '=', for {@link SlurmScripts} to quote; jobs with the same arguments share one job array.
 */
record SbatchOptions(List<String> args) {
    /** The slurm_job options besides remote_job's. */
    static final Set<String> OPTIONS =
            Set.of("partition", "time_limit", "account", "qos", "constraint", "reservation", "sbatch_args");

    private static final List<String> NAMED = List.of("partition", "account", "qos", "constraint", "reservation");

    SbatchOptions {
        args = List.copyOf(args);
    }

    static SbatchOptions of(JobSpec job) {
        Map<String, String> options = job.options();
        JobResources r = job.resources();
        List<String> args = new ArrayList<>();
        for (String name : NAMED) {
            String value = options.get(name);
            if (value != null && !value.isBlank()) {
                args.add("--" + name + "=" + value);
            }
        }
        String time = r.time() != null ? String.valueOf(minutes(r.time())) : options.get("time_limit");
        if (time != null && !time.isBlank()) {
            args.add("--time=" + time);
        }
        if (r.cpus() > 0) {
            args.add("--cpus-per-task=" + r.cpus());
        }
        if (r.memBytes() > 0) {
            args.add("--mem=" + r.memMegabytes() + "M");
        }
        if (r.gpus() > 0) {
            args.add("--gres=gpu:" + (r.gpuType() == null ? "" : r.gpuType() + ":") + r.gpus());
        }
        args.addAll(job.listOption("sbatch_args"));
        return new SbatchOptions(args);
    }

    /** Slurm's time limits are whole minutes: a bare number is minutes, and a part of one is rounded up as Slurm would. */
    static long minutes(Duration time) {
        return Math.max(1, (time.toSeconds() + 59) / 60);
    }
}
