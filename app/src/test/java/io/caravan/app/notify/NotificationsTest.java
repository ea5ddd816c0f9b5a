package io.caravan.app.notify;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.GreenMailUtil;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import io.caravan.app.Main;
import io.caravan.app.session.DatabaseOptions;
import io.caravan.app.session.EngineSession;
import io.caravan.core.engine.Json;
import io.caravan.core.engine.RunListener;
import io.caravan.core.runs.RunState;
import io.caravan.core.storage.Run;
import io.caravan.core.workflow.WorkflowDefinition;
import io.caravan.routes.notify.FailedDelivery;
import jakarta.mail.internet.MimeMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Notifications end to end: a real engine runs shell tasks, Camel delivers to a real HTTP server (the JDK's) and a
 * real SMTP server (GreenMail), both on loopback.
 */
class NotificationsTest {
    @TempDir
    static Path home;

    private static HttpServer http;
    private static GreenMail smtp;
    /** One engine for the class: each test's workflow has its own id and endpoints' paths. */
    private static EngineSession session;
    /** What the webhook received, by path, in order, with when. */
    private static final BlockingQueue<Received> posts = new LinkedBlockingQueue<>();

    private record Received(String path, String method, Map<String, Object> json, Instant at) {}

    @BeforeAll
    static void start() throws IOException {
        System.setProperty("caravan.notify.retries", "2");
        System.setProperty("caravan.notify.first-delay", "50ms");
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            @SuppressWarnings("unchecked")
            Map<String, Object> json = (Map<String, Object>) Json.read(new String(body, StandardCharsets.UTF_8));
            posts.add(
                    new Received(exchange.getRequestURI().getPath(), exchange.getRequestMethod(), json, Instant.now()));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        http.start();
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP).dynamicPort());
        smtp.start();
        session = new EngineSession(home, new DatabaseOptions()).startCamel();
        System.clearProperty("caravan.notify.retries");
        System.clearProperty("caravan.notify.first-delay");
    }

    @AfterAll
    static void stop() throws Exception {
        session.close();
        smtp.stop();
        http.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + http.getAddress().getPort() + path;
    }

    private Run run(String yaml, RunState expected) throws Exception {
        WorkflowDefinition workflow = session.loader().parse(home.resolve("w.yaml"), yaml, Map.of());
        Run run = session.engine().create(workflow, "test", yaml);
        assertThat(session.engine().run(run, workflow, RunListener.NONE)).isEqualTo(expected);
        return run;
    }

    private List<Received> postsTo(String path) {
        return posts.stream().filter(p -> p.path().equals(path)).toList();
    }

    @Test
    void aTaskThatFailsForGoodIsReportedOnceAfterItsLastAttemptByWebhookAndMail() throws Exception {
        int smtpPort = smtp.getSmtp().getPort();
        Run run = run("""
                workflow: nightly
                tasks:
                  flaky:
                    shell: "for i in $(seq 1 25); do echo line-$i; done; exit 3"
                    retries: 2
                    retry_delay: 50ms
                    on_retry: [%s]
                    on_failure:
                      - %s
                      - "smtp://127.0.0.1:%d?to=oncall@example.org&from=caravan@example.org"
                """.formatted(url("/retry"), url("/hook"), smtpPort), RunState.FAILED);

        assertThat(smtp.waitForIncomingEmail(10_000, 1)).as("a mail arrives").isTrue();
        Received hook = waitFor("/hook");
        Thread.sleep(300); // time for a second delivery, were there one
        assertThat(postsTo("/hook")).as("exactly one on_failure POST").hasSize(1);
        assertThat(hook.method()).isEqualTo("POST");
        assertThat(hook.json())
                .containsEntry("event", "on_failure")
                .containsEntry("workflow", "nightly")
                .containsEntry("run_id", run.id())
                .containsEntry("task", "flaky")
                .containsEntry("attempt", 3)
                .containsEntry("state", "failed")
                .containsEntry("link", null)
                .containsKey("logical_date");
        assertThat((String) hook.json().get("reason")).contains("exit code 3");
        @SuppressWarnings("unchecked")
        List<String> tail = (List<String>) hook.json().get("log_tail");
        assertThat(tail).hasSize(20).startsWith("line-6").endsWith("line-25");
        assertThat(postsTo("/retry"))
                .as("on_retry once per retry")
                .extracting(r -> r.json().get("attempt"))
                .containsExactly(1, 2);
        assertThat(hook.at())
                .as("after the third attempt, so after both retries")
                .isAfterOrEqualTo(postsTo("/retry").get(1).at());

        MimeMessage[] mails = smtp.getReceivedMessages();
        assertThat(mails).hasSize(1);
        assertThat(mails[0].getSubject())
                .contains("nightly/flaky")
                .contains("failure")
                .contains(run.id());
        String mail = GreenMailUtil.getBody(mails[0]);
        assertThat(mail)
                .contains("\"run_id\":\"" + run.id() + "\"")
                .contains("\"task\":\"flaky\"")
                .contains("\"attempt\":3")
                .contains("line-25");
    }

    @Test
    void aTaskPastItsSlaIsReportedLateOnceAndTheRunStillSucceeds() throws Exception {
        session.notifications().linkTo("https://caravan.example.org/");
        Instant started = Instant.now();
        Run run;
        try {
            run = run("""
                workflow: deadline
                on_success: [%s]
                tasks:
                  slow:
                    shell: "sleep 5"
                    sla: 2s
                    on_late: [%s]
                """.formatted(url("/done"), url("/late")), RunState.SUCCEEDED);
        } finally {
            session.notifications().linkTo(null);
        }
        Instant ended = Instant.now();

        waitFor("/done");
        List<Received> late = postsTo("/late");
        assertThat(late).as("one on_late delivery").hasSize(1);
        assertThat(late.get(0).json())
                .containsEntry("event", "on_late")
                .containsEntry("run_id", run.id())
                .containsEntry("task", "slow")
                .containsEntry("state", "running");
        assertThat(Duration.between(started, late.get(0).at()))
                .as("sent when the sla passed, while the task ran")
                .isGreaterThanOrEqualTo(Duration.ofSeconds(2))
                .isLessThan(Duration.between(started, ended));
        assertThat(postsTo("/done"))
                .singleElement()
                .satisfies(d -> assertThat(d.json())
                        .containsEntry("state", "succeeded")
                        .containsEntry("task", null)
                        .containsEntry("link", "https://caravan.example.org/ui/index.html#/runs/" + run.id()));
    }

    @Test
    void aDeliveryThatFailsForGoodIsRecordedMaskedAndLeavesTheRunAsItWas() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        Run run = run("""
                workflow: unreachable
                tasks:
                  ok:
                    shell: "echo fine"
                    on_success: ["http://127.0.0.1:%d/hook?password=s3cret-token"]
                """.formatted(closed), RunState.SUCCEEDED);

        List<FailedDelivery> failures = List.of();
        for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
                failures.isEmpty() && System.nanoTime() < end; ) {
            Thread.sleep(50);
            failures = session.notifications().failures(run.id());
        }
        assertThat(failures).singleElement().satisfies(f -> {
            assertThat(f.event()).isEqualTo("on_success");
            assertThat(f.endpoint()).contains("127.0.0.1:" + closed).doesNotContain("s3cret-token");
            assertThat(f.reason()).startsWith("3 attempts failed").doesNotContain("s3cret-token");
        });
        assertThat(session.store().run(run.id()).orElseThrow().state()).isEqualTo(RunState.SUCCEEDED);
    }

    @Test
    void theServerRefusesAPublicUrlThatIsNoWebAddressBeforeItStarts() {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.commandLineForTests(new PrintWriter(out), new PrintWriter(err))
                .execute("server", "--public-url", "javascript:alert(1)");

        assertThat(code).isEqualTo(2);
        assertThat(err.toString())
                .contains("--public-url must be an http:// or https:// URL, got 'javascript:alert(1)'");
        assertThat(out.toString()).doesNotContain("web UI");
    }

    private Received waitFor(String path) throws InterruptedException {
        for (long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); System.nanoTime() < end; ) {
            List<Received> found = postsTo(path);
            if (!found.isEmpty()) {
                return found.get(0);
            }
            Thread.sleep(20);
        }
        throw new AssertionError("nothing POSTed to " + path + " within 10 s; received: " + posts);
    }
}
