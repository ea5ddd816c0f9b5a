package io.caravan.spi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class SubmittedTest {

    @Test
    void aSubmitsAnswerTellsStartedFromAdoptedJobsAndIgnoresOtherLines() {
        Submitted s = Submitted.parse("started r.a.0.1\nadopted r.a.1.1\nsbatch: warning\n  started r.a.2.1\n");

        assertThat(s.started()).containsExactly("r.a.0.1", "r.a.2.1");
        assertThat(s.adopted()).containsExactly("r.a.1.1");
        assertThat(s.count()).isEqualTo(3);
        assertThat(s.and(Submitted.parse("adopted r.b.0.1")).adopted()).containsExactly("r.a.1.1", "r.b.0.1");
    }

    @Test
    void aBackendBuiltForPluginApi11CountsEveryJobAsStarted() {
        List<String> seen = new ArrayList<>();
        JobBackend old = new JobBackend() {
            @Override
            public void submit(List<JobSpec> jobs) {
                jobs.forEach(j -> seen.add(j.id()));
            }

            @Override
            public List<JobStatus> poll(List<String> ids) {
                return List.of();
            }

            @Override
            public List<LogChunk> readLogs(List<LogRange> ranges) {
                return List.of();
            }

            @Override
            public Map<String, String> outputs(List<String> ids) {
                return Map.of();
            }

            @Override
            public void cancel(List<String> ids, boolean force) {}

            @Override
            public List<CleanupResult> cleanup(List<String> ids) {
                return List.of();
            }
        };

        Submitted s = old.submitJobs(List.of(new JobSpec("r.a.0.1", "true", Map.of(), "engine=x", Map.of())));

        assertThat(seen).containsExactly("r.a.0.1");
        assertThat(s.started()).containsExactly("r.a.0.1");
        assertThat(s.adopted()).isEmpty();
    }
}
