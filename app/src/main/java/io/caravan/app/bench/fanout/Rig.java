package io.caravan.app.bench.fanout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.caravan.testkit.OpenSshServer;
import io.caravan.testkit.SshdLog;

/** The hosts of one benchmark: real sshd instances on loopback with default limits. */
final class Rig implements AutoCloseable {
    final List<OpenSshServer> hosts = new ArrayList<>();

    Rig(int count) {
        for (int i = 0; i < count; i++) {
            hosts.add(OpenSshServer.builder().start());
        }
    }

    List<SshdLog.Mark> marks() {
        return hosts.stream().map(h -> h.log().mark()).toList();
    }

    int logins(List<SshdLog.Mark> since) {
        int n = 0;
        for (int i = 0; i < hosts.size(); i++) {
            n += hosts.get(i).log().since(since.get(i)).acceptedLogins();
        }
        return n;
    }

    int drops(List<SshdLog.Mark> since) {
        int n = 0;
        for (int i = 0; i < hosts.size(); i++) {
            n += hosts.get(i).log().since(since.get(i)).maxStartupsDrops();
        }
        return n;
    }

    /** The approach's job base directory on host i (all hosts are this machine). */
    Path base(int i, String approach) {
        try {
            return Files.createDirectories(hosts.get(i).workDir().resolve("fanout-" + approach));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    long dirsLeft(String approach) {
        long n = 0;
        for (int i = 0; i < hosts.size(); i++) {
            try (Stream<Path> dirs = Files.list(base(i, approach))) {
                n += dirs.filter(d -> Files.isDirectory(d)
                                && !d.getFileName().toString().startsWith("."))
                        .count();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return n;
    }

    @Override
    public void close() {
        hosts.forEach(OpenSshServer::close);
    }
}
