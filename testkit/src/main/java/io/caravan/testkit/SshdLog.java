package io.caravan.testkit;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What OpenSSH wrote to its log (LogLevel VERBOSE), counted: the proof of how many handshakes a client
 * really made. Re-read on every call; a view made with {@link #since(Mark)} sees only later lines.
 */
public final class SshdLog {
    /** "Accepted publickey for root from ..." — not "Accepted key ... found at", which precedes it. */
    private static final Pattern LOGIN = Pattern.compile("Accepted (publickey|password|keyboard-interactive\\S*) for ");

    private static final Pattern LOGIN_PORT = Pattern.compile(" from \\S+ port (\\d+)");
    private static final Pattern FAILED_AUTH = Pattern.compile("Connection closed by authenticating user");

    /** A position in the log. */
    public record Mark(long offset) {}

    /** The counts a test usually asserts, printable in an assertion message. */
    public record Counts(int logins, int maxStartupsDrops, int sessionRefusals) {}

    private final Path file;
    private final long from;

    SshdLog(Path file, long from) {
        this.file = file;
        this.from = from;
    }

    public Mark mark() {
        try {
            return new Mark(Files.exists(file) ? Files.size(file) : 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public SshdLog since(Mark mark) {
        return new SshdLog(file, mark.offset());
    }

    public int acceptedLogins() {
        return count(l -> LOGIN.matcher(l).find());
    }

    /** The client port of each accepted login ("Accepted publickey for u from 127.0.0.1 port 54321 ssh2"): whose it was. */
    public List<Integer> loginPorts() {
        return lines().stream()
                .filter(l -> LOGIN.matcher(l).find())
                .map(LOGIN_PORT::matcher)
                .filter(Matcher::find)
                .map(m -> Integer.parseInt(m.group(1)))
                .toList();
    }

    /** OpenSSH's MaxStartups signature: "drop connection #N from [...] past MaxStartups". */
    public int maxStartupsDrops() {
        return count(l -> l.contains("past MaxStartups"));
    }

    /**
     * TCP connections sshd accepted: "Connection from ... port N on ..." (logged by the connection's own sshd
     * process), plus those the listener dropped past MaxStartups before such a process existed.
     */
    public int connections() {
        return count(l -> l.startsWith("Connection from ") || l.contains("past MaxStartups"));
    }

    /** MaxSessions refusals: "no more sessions". */
    public int sessionRefusals() {
        return count(l -> l.contains("no more sessions"));
    }

    /** Connections that gave up authenticating, each after the server rejected what it offered. */
    public int failedAuthentications() {
        return count(l -> FAILED_AUTH.matcher(l).find());
    }

    /**
     * Waits, at most {@code max}, until the log satisfies the condition: sshd writes some lines (a failed
     * authentication, say) only once it has seen the client go, a moment after the client's call returned.
     */
    public void awaitUntil(Predicate<SshdLog> condition, Duration max) throws InterruptedException {
        long until = System.nanoTime() + max.toNanos();
        while (!condition.test(this) && System.nanoTime() - until < 0) {
            Thread.sleep(20);
        }
    }

    public Counts counts() {
        List<String> lines = lines();
        return new Counts(
                (int) lines.stream().filter(l -> LOGIN.matcher(l).find()).count(),
                (int) lines.stream().filter(l -> l.contains("past MaxStartups")).count(),
                (int) lines.stream().filter(l -> l.contains("no more sessions")).count());
    }

    public List<String> lines() {
        if (!Files.exists(file)) {
            return List.of();
        }
        try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
            long length = in.length();
            byte[] bytes = new byte[(int) Math.max(0, length - from)];
            in.seek(Math.min(from, length));
            in.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int count(Predicate<String> match) {
        return (int) lines().stream().filter(match).count();
    }
}
