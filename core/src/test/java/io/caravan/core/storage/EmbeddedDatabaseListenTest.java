package io.caravan.core.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The embedded H2 database's AUTO_SERVER port (how a second caravan process shares the file) listens on
 * loopback only: a caravan machine must not offer its database to the network.
 */
class EmbeddedDatabaseListenTest {
    @TempDir
    Path home;

    @Test
    void autoServerPortListensOnLoopbackOnly() throws Exception {
        try (Database db = Database.open(DatabaseConfig.embedded(home)); Connection c = db.dataSource().getConnection()) {
            int port = serverPort(home.resolve("db").resolve("caravan.lock.db"));
            List<InetAddress> listening = listeningAddresses(port);
            assertThat(listening).as("sockets listening on port %d", port).isNotEmpty();
            assertThat(listening).allSatisfy(a -> assertThat(a.isLoopbackAddress()).as(a.toString()).isTrue());
        }
    }

    /** H2 writes {@code server=host:port} into the lock file of a database it serves. */
    private static int serverPort(Path lockFile) throws IOException {
        Properties lock = new Properties();
        try (Reader in = Files.newBufferedReader(lockFile)) {
            lock.load(in);
        }
        String server = lock.getProperty("server");
        assertThat(server).as("server= in %s", lockFile).isNotNull();
        return Integer.parseInt(server.substring(server.lastIndexOf(':') + 1));
    }

    /** Local addresses of the sockets in state LISTEN on this port, from the kernel's own tables. */
    private static List<InetAddress> listeningAddresses(int port) throws IOException {
        List<InetAddress> found = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines = Files.readAllLines(Path.of(table));
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                String[] local = f[1].split(":");
                if (Integer.parseInt(local[1], 16) == port && f[3].equals("0A")) {
                    found.add(InetAddress.getByAddress(kernelOrder(HexFormat.of().parseHex(local[0]))));
                }
            }
        }
        return found;
    }

    /** /proc/net/tcp* prints each 32-bit word of the address in host (little-endian) byte order. */
    private static byte[] kernelOrder(byte[] raw) {
        byte[] out = new byte[raw.length];
        for (int w = 0; w < raw.length; w += 4) {
            for (int i = 0; i < 4; i++) {
                out[w + i] = raw[w + 3 - i];
            }
        }
        return out;
    }
}
