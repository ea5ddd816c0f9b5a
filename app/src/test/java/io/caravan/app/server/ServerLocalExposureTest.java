package io.caravan.app.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.caravan.app.fixtures.Await;
import io.caravan.app.fixtures.CaravanRuns;
import io.caravan.app.fixtures.EngineProcess;
import io.caravan.app.fixtures.ProcessSockets;
import io.caravan.app.session.DatabaseOptions;
import io.caravan.core.storage.DatabaseHolder;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, acceptance 1 and 5: a real {@code caravan server} process on embedded H2 listens on nothing but its HTTP
 * port on 127.0.0.1, keeps CARAVAN_HOME to its owner, names itself to a second CLI process, and on SIGTERM records
 * its stop before the database closes; the run it was in the middle of finishes at the next start.
 */
class ServerLocalExposureTest {
    private static final Set<PosixFilePermission> OTHERS = Set.of(
            PosixFilePermission.GROUP_READ,
            PosixFilePermission.GROUP_WRITE,
            PosixFilePermission.GROUP_EXECUTE,
            PosixFilePermission.OTHERS_READ,
            PosixFilePermission.OTHERS_WRITE,
            PosixFilePermission.OTHERS_EXECUTE);

    @TempDir
    Path dir;

    private final List<EngineProcess> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(EngineProcess::close);
        System.clearProperty("caravan.home");
    }

    @Test
    void aServerOnH2ListensOnlyOnItsLoopbackPortKeepsItsHomePrivateAndRecordsItsStopOnSigterm() throws Exception {
        Path home = dir.resolve("home"); // created by the server itself
        Path marker = dir.resolve("marker.log");
        Path gate = dir.resolve("gate"); // holds the second task in flight until the test opens it
        Files.createDirectories(dir.resolve("workflows"));
        Files.writeString(dir.resolve("workflows").resolve("inflight.yaml"), """
                workflow: inflight
                tasks:
                  first: { shell: "echo first >> %1$s" }
                  second: { shell: "while [ ! -e %2$s ]; do sleep 0.1; done; echo second >> %1$s", depends_on: [first], timeout: 5m }
                """.formatted(marker, gate));
        Path key = Files.writeString(dir.resolve("id_ed25519"), "only its path is stored");
        System.setProperty("caravan.home", home.toString());
        assertThat(CaravanRuns.cli(
                                "pool",
                                "add-ssh",
                                "stored",
                                "batch@gpu1",
                                "-i",
                                key.toString(),
                                "--known-hosts",
                                key.toString())
                        .exit())
                .isZero();
        System.clearProperty("caravan.home");
        Path pooled = Files.writeString(dir.resolve("pooled.yaml"), """
                workflow: pooled
                tasks:
                  a: { target: stored, remote_job: { script: "true", workdir_base: /tmp/x } }
                """);
        int port = Await.freePort();
        Path log1 = dir.resolve("server-1.out");
        EngineProcess server = start(home, port, log1);

        assertThat(ProcessSockets.listening(server.pid()))
                .as("listening sockets of the server's JVM")
                .containsExactly("127.0.0.1:" + port);

        System.setProperty("caravan.home", home.toString());
        CaravanRuns.Result held = CaravanRuns.cli("runs");
        assertThat(held.exit()).as(held.out()).isEqualTo(2);
        assertThat(held.out().strip())
                .as("one line naming the holder")
                .isEqualTo("caravan: the database in " + home + " is held by `caravan server` (pid " + server.pid()
                        + "); stop it or use its API (http://127.0.0.1:" + port
                        + "/): caravan trigger goes through it");

        CaravanRuns.Result validated = CaravanRuns.cli("validate", pooled.toString());
        assertThat(validated.exit())
                .as("validate beside the server knows its stored pools: %s", validated.out())
                .isZero();

        CaravanRuns.Result triggered = CaravanRuns.cli("trigger", "inflight");
        assertThat(triggered.exit()).as(triggered.out()).isZero();
        assertThat(triggered.out()).contains("started run ").contains("through `caravan server` (pid " + server.pid());

        await(() -> Files.exists(marker) && Files.readString(marker).contains("first"), "the first task to run");
        String runId = triggered.out().split(" ")[2];

        try (Stream<Path> all = Files.walk(home)) {
            for (Path p : all.toList()) {
                Set<PosixFilePermission> mode = Files.getPosixFilePermissions(p);
                assertThat(mode)
                        .as("%s is %s", p, PosixFilePermissions.toString(mode))
                        .doesNotContainAnyElementsOf(OTHERS);
            }
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(home)))
                .isEqualTo("rwx------");

        assertThat(server.terminate()).as("the server ends after SIGTERM").isTrue();
        String said = Files.readString(log1);
        assertThat(said).doesNotContain("Database is already closed").doesNotContain("Exception");
        assertThat(Files.readString(marker)).doesNotContain("second");

        CaravanRuns.Result nodes = CaravanRuns.cli("nodes", "--all");
        assertThat(nodes.exit()).as(nodes.out()).isZero();
        assertThat(nodes.out())
                .contains(" " + server.pid() + " ")
                .contains("stopped")
                .doesNotContain("live");

        Path log2 = dir.resolve("server-2.out");
        EngineProcess again = start(home, port, log2);
        assertThat(Files.readString(log2)).contains("1 unfinished runs resumed");
        Files.createFile(gate);
        await(() -> Files.readString(marker).contains("second"), "the run in flight to finish after the restart");
        // its last task wrote the marker; the run's end is recorded a moment later: wait for it through the API
        await(() -> runState(home, port, runId).equals("succeeded"), "the resumed run to be recorded succeeded");
        assertThat(again.terminate()).isTrue();
        assertThat(Files.readString(log2)).doesNotContain("Database is already closed");
        CaravanRuns.Result runs = CaravanRuns.cli("runs");
        assertThat(runs.out().lines().filter(l -> l.contains(runId)))
                .as(runs.out())
                .singleElement()
                .asString()
                .contains("succeeded");
    }

    @Test
    void aStartThatFailsPartWayLeavesNoSchedulerAndReleasesTheDatabase() throws Exception {
        Path home = dir.resolve("home");
        Files.createDirectories(dir.resolve("routes"));
        Files.writeString(
                dir.resolve("routes").resolve("broken.yaml"), "- route:\n    from: { uri: \"nosuchcomponent:x\" }\n");
        long schedulersBefore = quartzThreads();

        Assertions.assertThatThrownBy(() -> CaravanServer.start(new CaravanServer.Settings(
                        home,
                        new DatabaseOptions(),
                        dir.resolve("workflows"),
                        dir.resolve("routes"),
                        Duration.ofSeconds(60))))
                .isNotNull();

        assertThat(DatabaseHolder.heldHere(home.resolve("db")))
                .as("database still held")
                .isFalse();
        await(() -> quartzThreads() == schedulersBefore, "the failed start's Quartz threads to end");
    }

    private static long quartzThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().contains("QuartzSchedulerThread"))
                .count();
    }

    private EngineProcess start(Path home, int port, Path log) throws Exception {
        EngineProcess server = EngineProcess.startLogged(
                home,
                log,
                List.of(),
                Map.of(),
                "server",
                "--workflows",
                dir.resolve("workflows").toString(),
                "--port",
                String.valueOf(port));
        servers.add(server);
        await(
                () -> Files.exists(log) && Files.readString(log).contains("stop with Ctrl-C"),
                "the server to start: " + log);
        return server;
    }

    private static String runState(Path home, int port, String runId) throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/runs/" + runId))
                                .header(
                                        "Authorization",
                                        "Bearer "
                                                + Files.readString(home.resolve("api-token"))
                                                        .strip())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        Matcher state = Pattern.compile("\"state\"\\s*:\\s*\"([a-z_]+)\"").matcher(answer.body());
        return answer.statusCode() == 200 && state.find() ? state.group(1) : "";
    }

    private static void await(Await.Condition condition, String what) throws Exception {
        Await.until(condition, Duration.ofSeconds(90), what);
    }
}
