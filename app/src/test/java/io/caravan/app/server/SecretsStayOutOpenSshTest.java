package io.caravan.app.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.caravan.app.fixtures.Await;
import io.caravan.app.fixtures.EngineProcess;
import io.caravan.core.engine.Json;
import io.caravan.core.storage.DatabaseConfig;
import io.caravan.testkit.OpenSshExtension;
import io.caravan.testkit.OpenSshServer;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13, hostile input: with a passphrase-protected key whose passphrase is given by {@code identity_passphrase_env},
 * a server runs a workflow of an ssh task and a remote job against a real sshd, and another whose variable is not set
 * fails naming the key's path and the variable. Neither the key material, nor the passphrase, nor the API token is
 * then found in the database (its files and an SQL dump), the server's log, the run report or the API's replies.
 */
class SecretsStayOutOpenSshTest {
    @RegisterExtension
    static final OpenSshExtension SSHD = OpenSshExtension.defaults();

    private static final String VARIABLE = "CARAVAN_TEST_KEY_PASSPHRASE";

    @TempDir
    Path dir;

    private final List<EngineProcess> processes = new ArrayList<>();

    @AfterEach
    void stop() {
        processes.forEach(EngineProcess::close);
    }

    @Test
    void noKeyMaterialPassphraseOrTokenReachesTheDatabaseLogsReportOrApi() throws Exception {
        OpenSshServer sshd = SSHD.server();
        Path home = dir.resolve("home");
        Path workflows = Files.createDirectories(dir.resolve("workflows"));
        Path base = Files.createDirectories(dir.resolve("jobs"));
        String workflow = """
                workflow: %s
                connections:
                  locked: { host: %s, port: %d, user: %s, identity: %s, known_hosts: %s, identity_passphrase_env: %s }
                tasks:
                  hello: { target: locked, ssh: "echo hello from the locked key" }
                  job:
                    target: locked
                    depends_on: [hello]
                    remote_job: { script: "echo job done", workdir_base: %s, poll_interval: 200ms }
                """;
        Files.writeString(
                workflows.resolve("unlocked.yaml"),
                workflow.formatted(
                        "unlocked",
                        sshd.host(),
                        sshd.port(),
                        sshd.user(),
                        sshd.clientKeyWithPassphrase(),
                        sshd.knownHosts(),
                        VARIABLE,
                        base));
        Files.writeString(
                workflows.resolve("unset.yaml"),
                workflow.formatted(
                        "unset",
                        sshd.host(),
                        sshd.port(),
                        sshd.user(),
                        sshd.clientKeyWithPassphrase(),
                        sshd.knownHosts(),
                        "CARAVAN_TEST_NOT_SET",
                        base));
        Map<String, String> env = Map.of(VARIABLE, OpenSshServer.CLIENT_KEY_PASSPHRASE);

        Path report = dir.resolve("report.json");
        Path runLog = dir.resolve("run.out");
        EngineProcess run = EngineProcess.startLogged(
                home,
                runLog,
                List.of(),
                env,
                "run",
                workflows.resolve("unlocked.yaml").toString(),
                "--report=" + report);
        processes.add(run);
        assertThat(run.awaitExit(120))
                .as("caravan run ended: %s", Files.readString(runLog))
                .isTrue();
        assertThat(run.exitValue()).as(Files.readString(runLog)).isZero();

        int port = Await.freePort();
        Path serverLog = dir.resolve("server.out");
        EngineProcess server = EngineProcess.startLogged(
                home,
                serverLog,
                List.of(),
                env,
                "server",
                "--workflows",
                workflows.toString(),
                "--port",
                String.valueOf(port));
        processes.add(server);
        await(
                () -> Files.exists(serverLog) && Files.readString(serverLog).contains("stop with Ctrl-C"),
                "the server to start");
        String token = Files.readString(home.resolve("api-token")).strip();
        Api api = new Api("http://127.0.0.1:" + port, token);

        StringBuilder replies = new StringBuilder();
        String unlocked = runId(api.post("/api/workflows/unlocked/trigger", replies));
        String unset = runId(api.post("/api/workflows/unset/trigger", replies));
        await(
                () -> api.get("/api/runs/" + unlocked, new StringBuilder()).contains("\"state\":\"succeeded\""),
                "run " + unlocked);
        await(
                () -> api.get("/api/runs/" + unset, new StringBuilder()).contains("\"state\":\"failed\""),
                "run " + unset);
        for (String runId : List.of(unlocked, unset)) {
            api.get("/api/runs/" + runId, replies);
            for (String task : List.of("hello", "job")) {
                api.get("/api/runs/" + runId + "/tasks/" + task + "/items", replies);
                api.get("/api/runs/" + runId + "/tasks/" + task + "/items/0", replies);
                api.get("/api/runs/" + runId + "/tasks/" + task + "/items/0/log", replies);
            }
        }
        for (String path : List.of("/api/runs", "/api/hosts", "/api/cleanup", "/api/workflows", "/metrics")) {
            api.get(path, replies);
        }
        assertThat(server.terminate()).isTrue();

        String failed = api.lastFailure;
        assertThat(replies)
                .as("the unset variable's run says which key and which variable")
                .contains(sshd.clientKeyWithPassphrase().toString())
                .contains("CARAVAN_TEST_NOT_SET");
        assertThat(Files.readString(report)).contains("succeeded");

        List<byte[]> secrets = secrets(sshd, token);
        Map<String, byte[]> places = new LinkedHashMap<>();
        places.put("API replies", replies.toString().getBytes(StandardCharsets.UTF_8));
        places.put("run output", Files.readAllBytes(runLog));
        places.put("server log", Files.readAllBytes(serverLog));
        places.put("report", Files.readAllBytes(report));
        places.put("SQL dump", dump(home).getBytes(StandardCharsets.UTF_8));
        try (Stream<Path> files = Files.walk(home)) {
            for (Path f : files.filter(Files::isRegularFile)
                    .filter(f -> !f.getFileName().toString().equals("api-token"))
                    .toList()) {
                places.put(f.toString(), Files.readAllBytes(f));
            }
        }
        assertThat(places).containsKey("SQL dump");
        assertThat(new String(places.get("SQL dump"), StandardCharsets.UTF_8))
                .as("the dump holds the variable's name")
                .contains(VARIABLE);
        for (Map.Entry<String, byte[]> place : places.entrySet()) {
            for (byte[] secret : secrets) {
                assertThat(indexOf(place.getValue(), secret))
                        .as("a secret (%d bytes) in %s", secret.length, place.getKey())
                        .isEqualTo(-1);
            }
        }
        assertThat(failed).isNull();
    }

    /** The passphrase, the token, the key file's base64 lines, and the private key itself in raw, hex and base64 form. */
    private static List<byte[]> secrets(OpenSshServer sshd, String token) throws Exception {
        List<byte[]> secrets = new ArrayList<>();
        secrets.add(OpenSshServer.CLIENT_KEY_PASSPHRASE.getBytes(StandardCharsets.UTF_8));
        secrets.add(token.getBytes(StandardCharsets.UTF_8));
        for (String line : Files.readAllLines(sshd.clientKeyWithPassphrase())) {
            if (!line.startsWith("-----") && line.length() > 20) {
                secrets.add(line.getBytes(StandardCharsets.US_ASCII));
            }
        }
        KeyPair pair;
        try (var in = Files.newInputStream(sshd.clientKeyWithPassphrase())) {
            pair = SecurityUtils.loadKeyPairIdentities(
                            null,
                            NamedResource.ofName("key"),
                            in,
                            FilePasswordProvider.of(OpenSshServer.CLIENT_KEY_PASSPHRASE))
                    .iterator()
                    .next();
        }
        byte[] encoded = pair.getPrivate().getEncoded();
        byte[] seed = Arrays.copyOfRange(encoded, encoded.length - 32, encoded.length);
        secrets.add(seed);
        secrets.add(HexFormat.of().formatHex(seed).getBytes(StandardCharsets.US_ASCII));
        secrets.add(Base64.getEncoder().encodeToString(seed).substring(0, 40).getBytes(StandardCharsets.US_ASCII));
        return secrets;
    }

    /** Everything in the database as SQL, read once the server has stopped and let go of it. */
    private static String dump(Path home) throws Exception {
        DatabaseConfig config = DatabaseConfig.embedded(home);
        StringBuilder sql = new StringBuilder();
        try (Connection c = DriverManager.getConnection(
                        config.url(), config.user(), config.password().reveal());
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SCRIPT")) {
            while (rs.next()) {
                sql.append(rs.getString(1)).append('\n');
            }
        }
        return sql.toString();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static String runId(String reply) {
        return (String) ((Map<?, ?>) Json.read(reply)).get("run_id");
    }

    /** The server's API with its token; every reply is kept to be searched. */
    private static final class Api {
        private final HttpClient http = HttpClient.newHttpClient();
        private final String base;
        private final String token;
        private String lastFailure;

        Api(String base, String token) {
            this.base = base;
            this.token = token;
        }

        String get(String path, StringBuilder replies) throws Exception {
            return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), replies);
        }

        String post(String path, StringBuilder replies) throws Exception {
            return send(
                    HttpRequest.newBuilder(URI.create(base + path)).POST(HttpRequest.BodyPublishers.noBody()), replies);
        }

        private String send(HttpRequest.Builder request, StringBuilder replies) throws Exception {
            HttpResponse<String> response = http.send(
                    request.header("Authorization", "Bearer " + token)
                            .timeout(Duration.ofSeconds(30))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 500) {
                lastFailure = response.statusCode() + " " + response.body();
            }
            replies.append(response.headers().map())
                    .append('\n')
                    .append(response.body())
                    .append('\n');
            return response.body();
        }
    }

    private static void await(Await.Condition condition, String what) throws Exception {
        Await.until(condition, Duration.ofSeconds(120), what);
    }
}
