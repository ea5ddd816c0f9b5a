package io.caravan.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSSH sshd on a free loopback port, with generated keys and LogLevel VERBOSE, so that tests
 * and benchmarks meet OpenSSH's own MaxStartups and MaxSessions behaviour. It can be stopped (dropping
 * every live connection) and started again on the same port; a JVM shutdown hook makes sure no sshd
 * outlives the process that started it. Longer than most classes: configuration, keys, start, stop and restart of
 * one daemon belong to one fixture.
 */
public final class OpenSshServer implements SshTestHost, AutoCloseable {
    public static final String CLIENT_KEY_PASSPHRASE = HostKeys.PASSPHRASE;
    static final String HOST = "127.0.0.1";
    static Path sshdBinary = Path.of("/usr/sbin/sshd");

    private final Path workDir;
    private final SshdConfig config;
    private final HostKeys keys;
    private final int port;
    private Process process;

    private OpenSshServer(Path workDir, SshdConfig config) {
        requireSshd();
        this.workDir = workDir;
        this.config = config;
        this.keys = HostKeys.generate(workDir);
        this.port = freePort();
        write(knownHosts(), keys.knownHostsLine(HOST, port) + "\n");
        write(hashedKnownHosts(), keys.hashedKnownHostsLine(HOST, port) + "\n");
        write(workDir.resolve("sshd_config"), config.render(workDir, keys, port));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Starts sshd (again, after {@link #stop()}: same port, keys and log). */
    public synchronized OpenSshServer start() {
        if (process != null && process.isAlive()) {
            return this;
        }
        createPrivilegeSeparationDir();
        Path configFile = workDir.resolve("sshd_config");
        Processes.run(List.of(sshdBinary.toString(), "-t", "-f", configFile.toString()));
        try {
            process = new ProcessBuilder(
                            sshdBinary.toString(), "-D", "-E", logFile().toString(), "-f", configFile.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(workDir.resolve("sshd.stdout").toFile())
                    .start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start " + sshdBinary + ": " + e.getMessage(), e);
        }
        LiveServers.add(this);
        awaitBanner();
        return this;
    }

    /** Stops sshd and every connection it serves; the per-connection children would outlive a plain SIGTERM. */
    public synchronized void stop() {
        if (process != null) {
            Processes.killTree(process.toHandle(), 5_000);
            process = null;
        }
        LiveServers.remove(this);
    }

    public synchronized void restart() {
        stop();
        start();
    }

    /** Kills the live connections only; the listener keeps accepting new ones. */
    public synchronized void dropConnections() {
        if (process != null) {
            List<ProcessHandle> children = process.toHandle().descendants().toList();
            children.forEach(ProcessHandle::destroyForcibly);
            children.forEach(c -> c.onExit().join());
        }
    }

    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

    @Override
    public void close() {
        stop();
        if (System.getProperty("caravan.keepSshd") == null) {
            Files2.deleteTree(workDir);
        }
    }

    public SshdLog log() {
        return new SshdLog(logFile(), 0);
    }

    /** OpenSSH's version line, e.g. "OpenSSH_9.2p1 Debian-2+deb12u3". */
    public String version() {
        String banner = banner(connect());
        return banner.startsWith("SSH-2.0-") ? banner.substring("SSH-2.0-".length()) : banner;
    }

    @Override
    public String host() {
        return HOST;
    }

    @Override
    public int port() {
        return port;
    }

    @Override
    public String user() {
        return System.getProperty("user.name");
    }

    @Override
    public Path clientKey() {
        return keys.clientKey;
    }

    @Override
    public Path knownHosts() {
        return workDir.resolve("known_hosts");
    }

    public Path hashedKnownHosts() {
        return workDir.resolve("known_hosts_hashed");
    }

    /** A key the server accepts only with {@link #CLIENT_KEY_PASSPHRASE}. */
    public Path clientKeyWithPassphrase() {
        return keys.encryptedClientKey;
    }

    /** A valid key the server does not accept. */
    public Path unauthorizedKey() {
        return keys.unauthorizedKey;
    }

    /** The public half of {@link #unauthorizedKey()} in OpenSSH format ("ssh-ed25519 AAAA... comment"). */
    public String unauthorizedPublicKey() {
        return HostKeys.publicKey(keys.unauthorizedKey);
    }

    public String hostKeyFingerprint() {
        return keys.hostFingerprint();
    }

    public Path workDir() {
        return workDir;
    }

    public Path logFile() {
        return workDir.resolve("sshd.log");
    }

    private void awaitBanner() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("sshd exited with " + process.exitValue() + ": " + logTail());
            }
            try {
                if (banner(connect()).startsWith("SSH-2.0-")) {
                    return;
                }
            } catch (UncheckedIOException e) {
                sleep(20);
            }
        }
        stop();
        throw new IllegalStateException("sshd did not answer on " + HOST + ":" + port + " within 10 s: " + logTail());
    }

    private Socket connect() {
        try {
            Socket s = new Socket();
            s.connect(new InetSocketAddress(HOST, port), 1_000);
            s.setSoTimeout(2_000);
            return s;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String banner(Socket socket) {
        try (socket) {
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int c; (c = in.read()) != -1 && c != '\n'; ) {
                line.append((char) c);
            }
            return line.toString().strip();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String logTail() {
        List<String> lines = new ArrayList<>(log().lines());
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    private static void requireSshd() {
        if (!Files.isExecutable(sshdBinary)) {
            throw new IllegalStateException("OpenSSH's server is missing (" + sshdBinary + "): "
                    + "install it with: apt-get install openssh-server");
        }
    }

    private static void createPrivilegeSeparationDir() {
        try {
            Files.createDirectories(Path.of("/run/sshd"));
        } catch (IOException e) {
            throw new UncheckedIOException("sshd needs /run/sshd", e);
        }
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(true);
            s.bind(new InetSocketAddress(HOST, 0));
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Configuration of a server before it exists; OpenSSH's defaults unless set. */
    public static final class Builder {
        private String maxStartups = "10:30:100";
        private int maxSessions = 10;
        private final List<String> extraConfig = new ArrayList<>();
        private Path workDir;

        public Builder maxStartups(String value) {
            this.maxStartups = value;
            return this;
        }

        public Builder maxSessions(int value) {
            this.maxSessions = value;
            return this;
        }

        public Builder extraConfig(String line) {
            extraConfig.add(line);
            return this;
        }

        public Builder workDir(Path dir) {
            this.workDir = dir;
            return this;
        }

        public OpenSshServer build() {
            try {
                Path dir =
                        workDir != null ? Files.createDirectories(workDir) : Files.createTempDirectory("caravan-sshd-");
                return new OpenSshServer(dir, new SshdConfig(maxStartups, maxSessions, List.copyOf(extraConfig)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public OpenSshServer start() {
            return build().start();
        }
    }
}
