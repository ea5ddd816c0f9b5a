package io.caravan.core.threads;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ThreadFactory;

import org.junit.jupiter.api.Test;

class DaemonThreadsTest {

    @Test
    void aNamedFactoryGivesEveryThreadItsNameAndNeverHoldsTheJvm() {
        ThreadFactory f = DaemonThreads.named("caravan-queue");
        Thread a = f.newThread(() -> {});
        Thread b = f.newThread(() -> {});
        assertThat(a.getName()).isEqualTo("caravan-queue");
        assertThat(b.getName()).isEqualTo("caravan-queue");
        assertThat(a.isDaemon()).isTrue();
    }

    @Test
    void aNumberedFactoryCountsItsThreadsFromOne() {
        ThreadFactory f = DaemonThreads.numbered("caravan-worker");
        assertThat(f.newThread(() -> {}).getName()).isEqualTo("caravan-worker-1");
        Thread second = f.newThread(() -> {});
        assertThat(second.getName()).isEqualTo("caravan-worker-2");
        assertThat(second.isDaemon()).isTrue();
        assertThat(DaemonThreads.numbered("caravan-run").newThread(() -> {}).getName())
                .isEqualTo("caravan-run-1");
    }
}
