package io.caravan.core.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.caravan.core.runs.RunState;
import io.caravan.core.runs.TaskState;
import io.caravan.core.ssh.FailureKind;
import io.caravan.core.ssh.SshFailure;
import org.junit.jupiter.api.Test;

class EngineTest extends EngineTestSupport {

    @Test
    void outputsFlowDownstreamThroughTemplates() throws Exception {
        EngineFixture.Result r = engine.run("""
                workflow: flow
                params: { base: 20 }
                tasks:
                  a: { shell: "n={{ params.base }}; echo $((n + 1))" }
                  b: { shell: "echo got {{ tasks.a.output }}", depends_on: [a] }
                """);

        assertThat(r.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(engine.output(r.runId(), "b")).isEqualTo("got 21");
    }

    @Test
    void aFanOutRunsEveryItemAndItsFanInSeesTheListOfOutputs() throws Exception {
        EngineFixture.Result r = engine.run("""
                workflow: fan
                params: { shards: 12 }
                tasks:
                  shard:
                    expand: { range: "{{ params.shards }}" }
                    shell: "n={{ item }}; echo $((n * n))"
                  total:
                    depends_on: [shard]
                    shell: "echo '{{ tasks.shard.output | raw }}' | tr -d '[]\\"' | tr ',' '+' | xargs -I{} sh -c 'echo $(( {} ))'"
                """);

        assertThat(r.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat((List<?>) engine.output(r.runId(), "shard"))
                .hasSize(12)
                .element(3)
                .isEqualTo("9");
        assertThat(engine.output(r.runId(), "total")).isEqualTo(String.valueOf(506)); // 0²+…+11²
    }

    @Test
    void aFanOutCanExpandOverTheLinesAnUpstreamTaskPrinted() throws Exception {
        EngineFixture.Result r = engine.run("""
                workflow: lines
                tasks:
                  list: { shell: "printf 'alpha\\nbeta\\ngamma\\n'" }
                  each:
                    depends_on: [list]
                    expand: { items: "{{ tasks.list.output }}" }
                    shell: "echo {{ item }} | tr a-z A-Z"
                """);

        assertThat(r.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(engine.output(r.runId(), "each")).isEqualTo(List.of("ALPHA", "BETA", "GAMMA"));
    }

    @Test
    void aHostileParamIsOneArgument() throws Exception {
        EngineFixture.Result r = engine.run("""
                workflow: quoting
                params: { name: "x; echo pwned" }
                tasks:
                  a: { shell: "printf '[%s]' {{ params.name }}" }
                """);

        assertThat(engine.output(r.runId(), "a")).isEqualTo("[x; echo pwned]");
    }

    @Test
    void aFailingAttemptIsRetriedUntilItSucceeds() throws Exception {
        Path counter = home.resolve("tries");
        EngineFixture.Result r = engine.run("""
                workflow: retry
                tasks:
                  flaky:
                    retries: 3
                    retry_delay: 10ms
                    shell: "echo x >> %s; [ $(wc -l < %s) -ge 3 ]"
                """.formatted(counter, counter));

        assertThat(r.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(Files.readAllLines(counter)).hasSize(3);
        assertThat(engine.store.instances(r.runId()).get(0).attempt()).isEqualTo(3);
    }

    @Test
    void retriesRunOutAndTheRunFails() throws Exception {
        EngineFixture.Result r = engine.run("""
                workflow: doomed
                tasks:
                  bad: { shell: "echo boom >&2; exit 3", retries: 2, retry_delay: 5ms }
                  after: { shell: "true", depends_on: [bad] }
                """);

        assertThat(r.state()).isEqualTo(RunState.FAILED);
        assertThat(engine.taskStates(r.runId()))
                .containsEntry("bad", TaskState.FAILED)
                .containsEntry("after", TaskState.UPSTREAM_FAILED);
        assertThat(engine.store.instances(r.runId()).stream()
                        .filter(i -> i.taskId().equals("bad"))
                        .findFirst()
                        .orElseThrow()
                        .error())
                .isEqualTo("exit code 3: boom");
    }

    @Test
    void aFatalSshFailureIsNotRetriedWhateverTheRetriesATransientOneIs() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        engine.executors.register("probe", invocation -> {
            calls.incrementAndGet();
            throw new SshFailure(FailureKind.valueOf((String) invocation.body()), "failed on u@h:22");
        });
        EngineFixture.Result fatal = engine.run("""
                workflow: fatal
                tasks:
                  t: { probe: AUTHENTICATION, retries: 2, retry_delay: 5ms }
                """);
        int fatalCalls = calls.getAndSet(0);
        EngineFixture.Result transientFailure = engine.run("""
                workflow: transient
                tasks:
                  t: { probe: KEX_DROP, retries: 2, retry_delay: 5ms }
                """);

        assertThat(fatal.state()).isEqualTo(RunState.FAILED);
        assertThat(engine.store.instances(fatal.runId()).get(0).attempt()).isEqualTo(1);
        assertThat(engine.store.instances(fatal.runId()).get(0).error()).isEqualTo("failed on u@h:22");
        assertThat(fatalCalls).isEqualTo(1);
        assertThat(transientFailure.state()).isEqualTo(RunState.FAILED);
        assertThat(engine.store.instances(transientFailure.runId()).get(0).attempt())
                .isEqualTo(3);
        assertThat(calls.get()).isEqualTo(3);
    }

    @Test
    void aTimedOutAttemptFailsAndIsKilled() throws Exception {
        long start = System.nanoTime();
        EngineFixture.Result r = engine.run("""
                workflow: slow
                tasks:
                  sleepy: { shell: "sleep 30", timeout: 300ms }
                """);

        assertThat(r.state()).isEqualTo(RunState.FAILED);
        assertThat(engine.store.instances(r.runId()).get(0).error()).contains("timed out");
        assertThat(System.nanoTime() - start).isLessThan(10_000_000_000L);
    }

    @Test
    void maxActiveBoundsConcurrentInstances() throws Exception {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        engine.executors.register("probe", invocation -> {
            peak.accumulateAndGet(running.incrementAndGet(), Math::max);
            Thread.sleep(20);
            running.decrementAndGet();
            return TaskResult.success(invocation.item(), "");
        });
        EngineFixture.Result r = engine.run("""
                workflow: bounded
                tasks:
                  many:
                    expand: { range: 40 }
                    max_active: 3
                    probe: go
                """);

        assertThat(r.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(peak.get()).isEqualTo(3);
        assertThat((List<?>) engine.output(r.runId(), "many")).hasSize(40);
    }

    @Test
    void anEmptyFanOutSucceedsWithNoItems() throws Exception {
        EngineFixture.Result r = engine.run("""
                workflow: empty
                tasks:
                  none: { expand: { items: [] }, shell: "echo {{ item }}" }
                  after: { shell: "echo done", depends_on: [none] }
                """);

        assertThat(r.state()).isEqualTo(RunState.SUCCEEDED);
        assertThat(engine.output(r.runId(), "none")).isEqualTo(List.of());
    }
}
