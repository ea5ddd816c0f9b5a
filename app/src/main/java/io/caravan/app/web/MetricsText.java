package io.caravan.app.web;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;
import java.util.stream.Collectors;

import io.caravan.core.jobs.JobPlace;
import io.caravan.core.jobs.SupervisorStats;
import io.micrometer.core.instrument.Measurement;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The server's figures in Prometheus' text format at {@code /metrics}: the SSH transport's meters and each
 * job place's supervisor figures. Written by hand: one small format, no registry bridge needed.
 */
final class MetricsText {
    private final MeterRegistry registry;
    private final Supplier<Map<JobPlace, SupervisorStats>> jobs;

    MetricsText(MeterRegistry registry, Supplier<Map<JobPlace, SupervisorStats>> jobs) {
        this.registry = registry;
        this.jobs = jobs;
    }

    String render() {
        StringBuilder out = new StringBuilder();
        Map<String, List<Meter>> byName = new TreeMap<>(registry.getMeters().stream()
                .collect(Collectors.groupingBy(m -> m.getId().getName())));
        byName.forEach((name, meters) -> {
            String metric =
                    name.replace('.', '_') + (meters.get(0).getId().getType() == Meter.Type.COUNTER ? "_total" : "");
            out.append("# TYPE ")
                    .append(metric)
                    .append(' ')
                    .append(meters.get(0).getId().getType() == Meter.Type.COUNTER ? "counter" : "gauge")
                    .append('\n');
            for (Meter m : meters) {
                String labels = m.getId().getTags().stream()
                        .map(t -> label(t.getKey(), t.getValue()))
                        .collect(Collectors.joining(","));
                List<Measurement> samples = new ArrayList<>();
                m.measure().forEach(samples::add);
                // a timer has several samples (count, total time, max): each its own line, named by its statistic
                samples.forEach(sample -> out.append(metric)
                        .append(
                                samples.size() > 1
                                        ? "_" + sample.getStatistic().name().toLowerCase(Locale.ROOT)
                                        : "")
                        .append(labels.isEmpty() ? "" : "{" + labels + "}")
                        .append(' ')
                        .append(number(sample.getValue()))
                        .append('\n'));
            }
        });
        Map<JobPlace, SupervisorStats> places = jobs.get();
        job(out, places, "caravan_jobs_submitted_total", "counter", SupervisorStats::jobsSubmitted);
        job(out, places, "caravan_jobs_ended_total", "counter", SupervisorStats::jobsEnded);
        job(out, places, "caravan_jobs_active", "gauge", s -> s.active());
        job(out, places, "caravan_jobs_queued", "gauge", s -> s.queued());
        job(out, places, "caravan_job_rounds_total", "counter", SupervisorStats::rounds);
        job(out, places, "caravan_job_poll_commands_total", "counter", SupervisorStats::pollCommands);
        job(out, places, "caravan_job_submit_commands_total", "counter", SupervisorStats::submitCommands);
        return out.toString();
    }

    private static void job(
            StringBuilder out,
            Map<JobPlace, SupervisorStats> places,
            String metric,
            String type,
            ToLongFunction<SupervisorStats> value) {
        out.append("# TYPE ").append(metric).append(' ').append(type).append('\n');
        places.forEach((place, stats) -> out.append(metric)
                .append('{')
                .append(label("place", place.label()))
                .append(',')
                .append(label("base", place.base()))
                .append("} ")
                .append(value.applyAsLong(stats))
                .append('\n'));
    }

    private static String label(String key, String value) {
        return key.replaceAll("[^a-zA-Z0-9_]", "_") + "=\""
                + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    private static String number(double v) {
        return v == Math.rint(v) && !Double.isInfinite(v) ? String.valueOf((long) v) : String.valueOf(v);
    }
}
