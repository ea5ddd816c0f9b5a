package io.caravan.core.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class HandshakeGateTest {
    private static final SshSettings.GateSettings SETTINGS = new SshSettings.GateSettings(
            4, 1, 6, Duration.ZERO, new Backoff(Duration.ofMillis(200), Duration.ofSeconds(1), Integer.MAX_VALUE));

    @Test
    void noMoreThanTheLimitAreInFlight() throws Exception {
        HandshakeGate gate = new HandshakeGate("h:22", SETTINGS);
        for (int i = 0; i < 4; i++) {
            gate.enter(deadlineIn(Duration.ofSeconds(1)));
        }
        assertThatThrownBy(() -> gate.enter(deadlineIn(Duration.ofMillis(50))))
                .isInstanceOf(SshFailure.class)
                .hasMessageContaining("4 handshakes in flight, limit 4");
        gate.failed();
        gate.enter(deadlineIn(Duration.ofMillis(50)));
    }

    @Test
    void aDropHalvesTheLimitAndPausesNewHandshakes() throws Exception {
        HandshakeGate gate = new HandshakeGate("h:22", SETTINGS);
        gate.enter(deadlineIn(Duration.ofSeconds(1)));
        gate.dropped();
        assertThat(gate.limit()).isEqualTo(2);
        long start = System.nanoTime();
        gate.enter(deadlineIn(Duration.ofSeconds(2)));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(90));
    }

    @Test
    void repeatedDropsReachTheFloorAndSuccessesGrowItBackToTheCeiling() throws Exception {
        HandshakeGate gate = new HandshakeGate(
                "h:22",
                new SshSettings.GateSettings(
                        4, 1, 6, Duration.ZERO, new Backoff(Duration.ZERO, Duration.ZERO, Integer.MAX_VALUE)));
        for (int i = 0; i < 5; i++) {
            gate.enter(deadlineIn(Duration.ofSeconds(1)));
            gate.dropped();
        }
        assertThat(gate.limit()).isEqualTo(1);
        for (int i = 0; i < 10; i++) {
            gate.enter(deadlineIn(Duration.ofSeconds(1)));
            gate.succeeded();
        }
        assertThat(gate.limit()).isEqualTo(6);
    }

    private static long deadlineIn(Duration d) {
        return System.nanoTime() + d.toNanos();
    }
}
