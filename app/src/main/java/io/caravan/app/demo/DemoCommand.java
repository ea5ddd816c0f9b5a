package io.caravan.app.demo;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.caravan.app.console.ProgressLine;
import io.caravan.core.ssh.ExecResult;
import io.caravan.core.ssh.HostKeyPolicy;
import io.caravan.core.ssh.HostStats;
import io.caravan.core.ssh.SshSettings;
import io.caravan.core.ssh.SshTarget;
import io.caravan.core.ssh.SshTransport;
import io.caravan.testkit.EmbeddedSshServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The first thing to run: a fan-out of commands against an embedded loopback SSH server, all through
 * one pooled transport, with live progress and the connection figures at the end. (The workflow engine
 * will run examples/workflows/demo.yaml here instead.)
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
         description = "Fan out commands to an embedded loopback SSH host and show what the pool did.")
public final class DemoCommand implements Callable<Integer> {
    @Option(names = "--commands", defaultValue = "300", description = "How many commands to fan out (default ${DEFAULT-VALUE}).")
    int commands;
    @Option(names = "--parallel", defaultValue = "100", description = "How many are in flight at once (default ${DEFAULT-VALUE}).")
    int parallel;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        try (EmbeddedSshServer host = EmbeddedSshServer.start();
             SshTransport transport = SshTransport.start(SshSettings.defaults())) {
            SshTarget target = SshTarget.of(host.user(), host.host(), host.port())
                    .withIdentity(host.clientKey(), null).withKnownHosts(host.knownHosts(), HostKeyPolicy.STRICT);
            out.printf("Caravan demo: %d commands, %d in flight, to an embedded SSH host at %s%n",
                    commands, parallel, target.hostAndPort());
            Map<Integer, String> lines = new ConcurrentSkipListMap<>();
            AtomicInteger failed = new AtomicInteger();
            long start = System.nanoTime();
            fanOut(transport, target, lines, failed, new ProgressLine(System.err));
            Duration wall = Duration.ofNanos(System.nanoTime() - start);
            summary(out, lines, failed.get(), wall, transport.stats(target.hostAndPort()), host.acceptedLogins());
            return failed.get() == 0 ? 0 : 1;
        }
    }

    private void fanOut(SshTransport transport, SshTarget target, Map<Integer, String> lines, AtomicInteger failed,
                        ProgressLine progress) throws InterruptedException {
        ExecutorService threads = Executors.newFixedThreadPool(parallel);
        AtomicInteger done = new AtomicInteger();
        for (int i = 0; i < commands; i++) {
            int shard = i;
            threads.execute(() -> {
                try {
                    ExecResult r = transport.exec(target, "echo \"shard " + shard + " on $(hostname): "
                            + "$(( " + shard + " * " + shard + " ))\"");
                    lines.put(shard, r.stdout().strip());
                } catch (RuntimeException e) {
                    failed.incrementAndGet();
                    lines.put(shard, "FAILED: " + e.getMessage());
                }
                progress.show("commands", done.incrementAndGet(), commands, failed.get() + " failed");
            });
        }
        threads.shutdown();
        if (!threads.awaitTermination(5, TimeUnit.MINUTES)) {
            threads.shutdownNow();
        }
        progress.finish();
    }

    private void summary(PrintStream out, Map<Integer, String> lines, int failed, Duration wall, HostStats ssh,
                         long serverLogins) {
        out.println();
        lines.values().stream().limit(3).forEach(l -> out.println("  " + l));
        out.println("  ...");
        out.printf("%n%d commands: %d succeeded, %d failed in %d ms%n", commands, commands - failed, failed, wall.toMillis());
        out.printf("SSH: %d handshake(s) (the server counted %d logins), %d exec channels, %d channel refusals, "
                + "%d reconnects%n", ssh.handshakes(), serverLogins, ssh.channelsOpened(), ssh.channelRefusals(), ssh.reconnects());
        out.println("A tool that connects per command would have made " + commands + " handshakes.");
        out.println();
        out.println("Next: ./caravan bench exec   (pooled vs. fresh connections against a real OpenSSH sshd)");
        out.println("      mvn -B verify          (the test suite, against real sshd on loopback)");
    }
}
