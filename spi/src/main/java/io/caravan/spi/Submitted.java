package io.caravan.spi;

import java.util.ArrayList;
import java.util.List;

/**
 * What one submit did (plugin API 1.2.0): the ids of the jobs it started, and of those it found on the host
 * already and adopted (a repeated submit, or an attempt taken up again after its engine or host was lost).
 */
public record Submitted(List<String> started, List<String> adopted) {

    public Submitted {
        started = List.copyOf(started);
        adopted = List.copyOf(adopted);
    }

    /** What a backend that cannot tell reports: every job as started. */
    public static Submitted allStarted(List<JobSpec> jobs) {
        return new Submitted(jobs.stream().map(JobSpec::id).toList(), List.of());
    }

    /**
     * Reads the POSIX protocol's answer to a submit, one "started ID" or "adopted ID" line per job; other lines
     * are ignored. The caller checks that every job was answered ({@link #count()}).
     */
    public static Submitted parse(String answer) {
        List<String> started = new ArrayList<>();
        List<String> adopted = new ArrayList<>();
        answer.lines().map(String::strip).forEach(l -> {
            if (l.startsWith("started ")) {
                started.add(l.substring("started ".length()));
            } else if (l.startsWith("adopted ")) {
                adopted.add(l.substring("adopted ".length()));
            }
        });
        return new Submitted(started, adopted);
    }

    /** Jobs answered for, started or adopted. */
    public int count() {
        return started.size() + adopted.size();
    }

    /** This answer and {@code other}'s, as one. */
    public Submitted and(Submitted other) {
        List<String> s = new ArrayList<>(started);
        s.addAll(other.started);
        List<String> a = new ArrayList<>(adopted);
        a.addAll(other.adopted);
        return new Submitted(s, a);
    }
}
