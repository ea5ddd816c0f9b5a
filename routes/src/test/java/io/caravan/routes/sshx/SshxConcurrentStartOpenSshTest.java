package io.caravan.routes.sshx;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.caravan.testkit.OpenSshExtension;
import io.caravan.testkit.OpenSshServer;
import io.caravan.testkit.SshdLog;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 14, acceptance 6: {@code sshx:} used from 400 threads at once on a fresh CamelContext, before any
 * exchange has gone through the component, against sshd at MaxStartups 3:50:6 and MaxSessions 2. The component
 * is created, started and given its transport by whichever thread comes first; none may see it half-made.
 */
class SshxConcurrentStartOpenSshTest {
    @RegisterExtension
    static final OpenSshExtension SSHD =
            OpenSshExtension.with(b -> b.maxStartups("3:50:6").maxSessions(2));

    private static final int THREADS = 400;

    /** One command's answer, or what it threw. */
    private record Outcome(int index, String stdout, Integer exitValue, Throwable error) {}

    @Test
    void fourHundredThreadsOnAFreshContextAllSucceedOnAtMostThreeLogins() throws Exception {
        OpenSshServer server = SSHD.server();
        SshdLog log = server.log().since(server.log().mark());
        String uri =
                RouteBurst.uri("sshx", server, "&knownHostsResource=file:" + server.knownHosts() + "&timeout=60000");
        ExecutorService threads = Executors.newFixedThreadPool(THREADS);
        List<Outcome> outcomes = new ArrayList<>();
        long start;
        try (CamelContext camel = new DefaultCamelContext()) {
            camel.start();
            try (ProducerTemplate template = camel.createProducerTemplate()) {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Outcome>> futures = new ArrayList<>();
                for (int i = 0; i < THREADS; i++) {
                    int index = i;
                    futures.add(threads.submit(() -> {
                        go.await();
                        return send(template, uri, index);
                    }));
                }
                start = System.nanoTime();
                go.countDown();
                for (Future<Outcome> f : futures) {
                    outcomes.add(f.get(5, TimeUnit.MINUTES));
                }
            }
        } finally {
            threads.shutdownNow();
        }
        long failed = outcomes.stream().filter(o -> o.error() != null).count();
        System.out.printf(
                "issue 14 acceptance 6: sshx: %d commands from %d threads on a fresh CamelContext, sshd MaxStartups"
                        + " 3:50:6 MaxSessions 2: %d ms, %d failed, sshd: %d connection(s), %s%n",
                THREADS, THREADS, (System.nanoTime() - start) / 1_000_000, failed, log.connections(), log.counts());

        assertThat(outcomes).hasSize(THREADS).allSatisfy(o -> {
            assertThat(o.error()).as("command %d", o.index()).isNull();
            assertThat(o.stdout()).isEqualTo("out-" + o.index() + "\n");
            assertThat(o.exitValue()).isEqualTo(o.index() % 4);
        });
        assertThat(log.acceptedLogins()).as(log.counts().toString()).isBetween(1, 3);
        assertThat(log.maxStartupsDrops()).isZero();
    }

    private static Outcome send(ProducerTemplate template, String uri, int index) {
        try {
            Exchange reply =
                    template.request(uri, e -> e.getIn().setBody("echo out-" + index + "; exit " + (index % 4)));
            if (reply.getException() != null) {
                return new Outcome(index, null, null, reply.getException());
            }
            return new Outcome(
                    index,
                    reply.getMessage().getBody(String.class),
                    reply.getMessage().getHeader(SshxConstants.EXIT_VALUE, Integer.class),
                    null);
        } catch (RuntimeException e) {
            return new Outcome(index, null, null, e);
        }
    }
}
