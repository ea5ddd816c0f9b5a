package io.caravan.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.caravan.app.fixtures.EngineProcess;
import io.caravan.app.server.ServerCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code caravan server --tls-keystore FILE.p12} as a user starts it, with a self-signed certificate made by the
 * JDK's keytool and its password in the environment: HTTPS answers, plain HTTP gets nothing, and the server listens
 * on 127.0.0.1 alone by default.
 */
class WebTlsTest {
    /** Braces on purpose: Camel would take {{…}} in a password it is handed for a property placeholder. */
    private static final String PASSWORD = "pa{{ss}} word";

    @TempDir
    Path home;

    @Test
    void aServerWithAPkcs12KeystoreServesHttpsOnLoopbackAndNothingInPlainText() throws Exception {
        Path keystore = selfSigned();
        int port = WebFixture.freePort();
        Path output = home.resolve("server.out");
        try (EngineProcess server = EngineProcess.startLogged(
                home,
                output,
                List.of(),
                Map.of("CARAVAN_TLS_PASSWORD", PASSWORD),
                "server",
                "--port",
                String.valueOf(port),
                "--tls-keystore",
                keystore.toString())) {
            String said = awaitOutput(output, "API token");
            assertThat(said)
                    .contains("web UI and REST API: https://127.0.0.1:" + port + "/")
                    .doesNotContain(PASSWORD)
                    .doesNotContain("WARNING");
            String token = Files.readString(home.resolve("api-token")).strip();

            HttpClient https = HttpClient.newBuilder()
                    .sslContext(trusting(keystore))
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            HttpResponse<String> status = https.send(
                    HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/api/status"))
                            .header("Authorization", "Bearer " + token)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(status.statusCode()).as(status.body()).isEqualTo(200);
            assertThat(status.body()).contains("\"version\"");
            assertThat(status.headers().firstValue("Content-Security-Policy")).isPresent();
            assertThat(https.send(
                                    HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + port + "/api/status"))
                                            .build(),
                                    HttpResponse.BodyHandlers.ofString())
                            .statusCode())
                    .isEqualTo(401);

            String plain;
            try {
                plain = String.valueOf(HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/status"))
                                        .header("Authorization", "Bearer " + token)
                                        .timeout(Duration.ofSeconds(10))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .body());
            } catch (IOException e) {
                plain = "refused: " + e;
            }
            assertThat(plain).as("plain HTTP on the TLS port").doesNotContain("\"version\"");

            assertThat(listeners(port)).as("listening sockets on port %d", port).containsOnly("127.0.0.1");
            server.kill();
        }
    }

    @Test
    void aMissingPasswordOrAWrongOneIsAClearErrorAndNothingServes() throws Exception {
        Path keystore = selfSigned();
        System.setProperty("caravan.home", home.toString());
        try {
            String unset = "CARAVAN_TEST_NO_SUCH_VARIABLE";
            String[] missing = server(
                    "--port",
                    String.valueOf(WebFixture.freePort()),
                    "--tls-keystore",
                    keystore.toString(),
                    "--tls-keystore-password-env",
                    unset);
            assertThat(missing[0]).isEqualTo("1");
            assertThat(missing[1]).contains("set the environment variable " + unset + " to its password");

            // PATH holds something, and not this keystore's password
            String[] wrong = server(
                    "--port",
                    String.valueOf(WebFixture.freePort()),
                    "--tls-keystore",
                    keystore.toString(),
                    "--tls-keystore-password-env",
                    "PATH");
            assertThat(wrong[0]).isEqualTo("1");
            assertThat(wrong[1])
                    .contains("cannot serve HTTPS with " + keystore)
                    .contains("wrong password")
                    .doesNotContain(System.getenv("PATH"));

            String[] none = server(
                    "--port",
                    String.valueOf(WebFixture.freePort()),
                    "--tls-keystore",
                    home.resolve("nope.p12").toString(),
                    "--tls-keystore-password-env",
                    "PATH");
            assertThat(none[1]).contains("nope.p12: no such file");
        } finally {
            System.clearProperty("caravan.home");
        }
    }

    /** Exit code and standard error of {@code caravan server ARGS} run in this JVM. */
    private static String[] server(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine cli = new CommandLine(new ServerCommand());
        cli.setOut(new PrintWriter(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        cli.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
        int code = cli.execute(args);
        return new String[] {String.valueOf(code), err.toString(StandardCharsets.UTF_8)};
    }

    /** A PKCS#12 keystore with a fresh EC key and a certificate for 127.0.0.1 and localhost, signed by itself. */
    private Path selfSigned() throws Exception {
        Path file = home.resolve("server.p12");
        ProcessBuilder keytool = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "keytool")
                                .toString(),
                        "-genkeypair",
                        "-alias",
                        "caravan",
                        "-keyalg",
                        "EC",
                        "-groupname",
                        "secp256r1",
                        "-validity",
                        "2",
                        "-dname",
                        "CN=localhost",
                        "-ext",
                        "SAN=ip:127.0.0.1,dns:localhost",
                        "-storetype",
                        "PKCS12",
                        "-keystore",
                        file.toString(),
                        "-storepass:env",
                        "KEYTOOL_PASSWORD")
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("keytool.out").toFile());
        keytool.environment().put("KEYTOOL_PASSWORD", PASSWORD);
        Process p = keytool.start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue())
                .as(Files.readString(home.resolve("keytool.out")))
                .isZero();
        return file;
    }

    private static SSLContext trusting(Path keystore) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            store.load(in, PASSWORD.toCharArray());
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static String awaitOutput(Path output, String marker) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            String text = Files.exists(output) ? Files.readString(output) : "";
            if (text.contains(marker)) {
                return text;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the server never printed '" + marker + "':\n" + Files.readString(output));
    }

    /** The local addresses of the sockets listening on this port, from the kernel's own tables. */
    private static List<String> listeners(int port) throws Exception {
        String hexPort = String.format(":%04X", port);
        List<String> found = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines = Files.readAllLines(Path.of(table));
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f[1].endsWith(hexPort) && f[3].equals("0A")) { // 0A: LISTEN
                    found.add(address(f[1].substring(0, f[1].indexOf(':'))));
                }
            }
        }
        return found;
    }

    /** /proc's hex address: IPv4 little-endian, IPv6 as four little-endian words (an IPv4-mapped one shown as IPv4). */
    private static String address(String hex) {
        if (hex.length() == 32 && hex.startsWith("0000000000000000FFFF0000")) {
            return address(hex.substring(24));
        }
        if (hex.length() != 8) {
            return hex.equals("00000000000000000000000000000000") ? "::" : "ipv6:" + hex;
        }
        long v = Long.parseLong(hex, 16);
        return (v & 0xff) + "." + (v >> 8 & 0xff) + "." + (v >> 16 & 0xff) + "." + (v >> 24 & 0xff);
    }
}
