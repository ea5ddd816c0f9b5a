package io.caravan.core.threads;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

class BackgroundTest {
    @Test
    void runsOnItsOwnNamedThreadAndJoinsWithTheResult() {
        Background<String> step = Background.start(
                "caravan-test-step", () -> Thread.currentThread().getName());
        assertThat(step.join()).isEqualTo("caravan-test-step");
        assertThat(step.failure()).isNull();
    }

    @Test
    void whatTheStepThrowsIsThrownAgainAsItWas() {
        IllegalStateException thrown = new IllegalStateException("migration V11 failed");
        Background<Void> step = Background.start("caravan-test-step", () -> {
            throw thrown;
        });
        assertThatThrownBy(step::join).isSameAs(thrown);
        assertThat(step.failure()).isSameAs(thrown);
    }

    @Test
    void aDiscardedResultIsClosedWhenItArrives() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicReference<String> closed = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Background<String> step = Background.start("caravan-test-step", () -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "client";
        });
        step.discard(r -> {
            closed.set(r);
            done.countDown();
        });
        assertThat(closed.get()).as("not yet there").isNull();
        release.countDown();
        assertThat(done.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(closed.get()).isEqualTo("client");
    }
}
