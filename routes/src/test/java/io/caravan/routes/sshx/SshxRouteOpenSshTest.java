package io.caravan.routes.sshx;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import io.caravan.testkit.OpenSshExtension;
import io.caravan.testkit.OpenSshServer;
import io.caravan.testkit.SshdLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Acceptance 2 and 3: one burst of 500 through a Camel parallel split, sshx: against stock ssh:. */
class SshxRouteOpenSshTest {
    @RegisterExtension
    final OpenSshExtension sshd = OpenSshExtension.defaults();

    @Test
    void fiveHundredCommandsThroughSshxSucceedOnAtMostTwoLogins() throws Exception {
        OpenSshServer server = sshd.server();
        SshdLog log = server.log().since(server.log().mark());
        String uri =
                RouteBurst.uri("sshx", server, "&knownHostsResource=file:" + server.knownHosts() + "&timeout=20000");

        long start = System.nanoTime();
        Map<Integer, RouteBurst.Outcome> outcomes = RouteBurst.run(uri, 500, 500);
        report("sshx:", start, outcomes, log);

        assertThat(outcomes).hasSize(500);
        outcomes.forEach((i, o) -> {
            assertThat(o.error()).as("command %d", i).isNull();
            assertThat(o.stdout()).isEqualTo("out-" + i + "\n");
            assertThat(o.exitValue()).isEqualTo(i % 4);
        });
        assertThat(log.acceptedLogins()).as(log.counts().toString()).isBetween(1, 2);
        assertThat(log.maxStartupsDrops()).isZero();
    }

    @Test
    void theSameBurstThroughStockCamelSshTripsMaxStartups() throws Exception {
        OpenSshServer server = sshd.server();
        SshdLog log = server.log().since(server.log().mark());
        // camel-ssh opens a fresh connection per exchange: this is the problem sshx: exists to solve
        String uri = RouteBurst.uri("ssh", server, "&timeout=20000");

        long start = System.nanoTime();
        Map<Integer, RouteBurst.Outcome> outcomes = RouteBurst.run(uri, 500, 100);
        report("ssh: (camel-ssh)", start, outcomes, log);

        assertThat(outcomes).hasSize(500);
        assertThat(log.maxStartupsDrops()).as(log.counts().toString()).isPositive();
        assertThat(outcomes.values()).anyMatch(o -> o.error() != null);
        assertThat(log.acceptedLogins()).isGreaterThan(2);
    }

    /** The figures behind the comparison, in the test's output file for the record. */
    private static void report(String scheme, long startNanos, Map<Integer, RouteBurst.Outcome> outcomes, SshdLog log) {
        long failed = outcomes.values().stream().filter(o -> o.error() != null).count();
        System.out.printf(
                "%s 500 commands: %d ms, %d failed, sshd: %s%n",
                scheme, (System.nanoTime() - startNanos) / 1_000_000, failed, log.counts());
    }
}
