package io.caravan.app.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;

import io.caravan.app.fixtures.EngineProcess;
import io.caravan.core.storage.DatabaseConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code caravan server} in a process of its own, stopped with SIGTERM as a user or systemd stops it. */
class ServerStopTest {
    @TempDir
    Path home;

    @Test
    void sigtermStopsTheServerCleanlyAndItsNodeRecordsItsStop() throws Exception {
        Path output = home.resolve("server.out");
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        // with the web server, as a user starts it: Camel then takes long enough to stop that H2's own shutdown
        // hook closed the database before the node could record its stop
        try (EngineProcess server =
                EngineProcess.startLogged(home, output, List.of(), "server", "--port", Integer.toString(port))) {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (!(Files.exists(output)
                    && Files.readString(output, StandardCharsets.UTF_8).contains("stop with Ctrl-C"))) {
                assertThat(System.nanoTime())
                        .as("the server never started:%n%s", read(output))
                        .isLessThan(deadline);
                Thread.sleep(100);
            }
            new ProcessBuilder("kill", "-TERM", Long.toString(server.pid()))
                    .start()
                    .waitFor();
            long stop = System.nanoTime();
            assertThat(server.awaitExit())
                    .as("the server exits after SIGTERM:%n%s", read(output))
                    .isTrue();
            System.out.printf("server stopped %d ms after SIGTERM%n", (System.nanoTime() - stop) / 1_000_000);
        }
        String text = read(output);
        assertThat(text)
                .doesNotContain("cannot record its stop")
                .doesNotContain("Database is already closed")
                .doesNotContain("\tat ");
        try (Connection c = DriverManager.getConnection(
                        DatabaseConfig.embedded(home).url(), "sa", "");
                ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*), COUNT(stopped_at) FROM nodes")) {
            rs.next();
            assertThat(rs.getInt(1)).as(text).isEqualTo(1);
            assertThat(rs.getInt(2))
                    .as("the node recorded its clean stop%n%s", text)
                    .isEqualTo(1);
        }
    }

    private static String read(Path output) throws IOException {
        return Files.exists(output) ? Files.readString(output, StandardCharsets.UTF_8) : "";
    }
}
