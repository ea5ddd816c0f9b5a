package io.caravan.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Slurm cluster for tests: its own munged, slurmctld and slurmd (Debian's slurm-wlm and
 * munge packages), configured in a temporary directory, listening on free loopback ports, all stopped by
 * {@link #close()}. Client commands find it through {@code SLURM_CONF}: {@link #conf()}.
 */
public final class SlurmCluster implements AutoCloseable {
    private final Path dir;
    private final String host;

    private SlurmCluster(Path dir, String host) {
        this.dir = dir;
        this.host = host;
    }

    public static SlurmCluster start() {
        for (String binary : List.of("/usr/sbin/munged", "/usr/sbin/slurmctld", "/usr/sbin/slurmd", "/usr/bin/sbatch")) {
            if (!Files.isExecutable(Path.of(binary))) {
                throw new IllegalStateException("Slurm is missing (" + binary + "): install it with: apt-get install slurm-wlm munge");
            }
        }
        try {
            Path dir = Files.createTempDirectory("caravan-slurm-");
            SlurmCluster cluster = new SlurmCluster(dir, InetAddress.getLocalHost().getHostName().split("\\.")[0]);
            cluster.boot();
            return cluster;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The slurm.conf every client command needs (as {@code SLURM_CONF}). */
    public Path conf() {
        return dir.resolve("slurm.conf");
    }

    public Path workDir() {
        return dir;
    }

    private void boot() throws IOException {
        for (String sub : List.of("state", "spool", "log", "munge")) {
            Files.createDirectories(dir.resolve(sub));
        }
        Files.setPosixFilePermissions(dir.resolve("munge"), PosixFilePermissions.fromString("rwx------"));
        byte[] key = new byte[1024];
        new SecureRandom().nextBytes(key);
        Files.write(dir.resolve("munge/munge.key"), key);
        Files.setPosixFilePermissions(dir.resolve("munge/munge.key"), PosixFilePermissions.fromString("r--------"));
        Files.writeString(conf(), config(freePort(), freePort()));
        run("/usr/sbin/munged", "--socket=" + dir.resolve("munge/munge.socket"), "--key-file=" + dir.resolve("munge/munge.key"),
                "--pid-file=" + dir.resolve("munge/munged.pid"), "--log-file=" + dir.resolve("munge/munged.log"),
                "--seed-file=" + dir.resolve("munge/seed"), "-f");
        run("/usr/sbin/slurmctld");
        run("/usr/sbin/slurmd", "-N", host);
        awaitIdleNode();
    }

    private String config(int ctldPort, int slurmdPort) {
        return String.join("\n",
                "ClusterName=caravantest",
                "SlurmctldHost=" + host + "(127.0.0.1)",
                "SlurmctldPort=" + ctldPort,
                "SlurmdPort=" + slurmdPort,
                "SlurmUser=root",
                "SlurmdUser=root",
                "AuthType=auth/munge",
                "AuthInfo=socket=" + dir.resolve("munge/munge.socket"),
                "CredType=cred/munge",
                "StateSaveLocation=" + dir.resolve("state"),
                "SlurmdSpoolDir=" + dir.resolve("spool"),
                "SlurmctldPidFile=" + dir.resolve("slurmctld.pid"),
                "SlurmdPidFile=" + dir.resolve("slurmd.pid"),
                "SlurmctldLogFile=" + dir.resolve("log/slurmctld.log"),
                "SlurmdLogFile=" + dir.resolve("log/slurmd.log"),
                "ProctrackType=proctrack/pgid",
                "TaskPlugin=task/none",
                "JobAcctGatherType=jobacct_gather/none",
                "AccountingStorageType=accounting_storage/none",
                "SchedulerType=sched/backfill",
                "SelectType=select/cons_tres",
                "SelectTypeParameters=CR_Core",
                "MpiDefault=none",
                "ReturnToService=2",
                // finished jobs stay visible to squeue --states=all for ten minutes: polling needs no accounting database
                "MinJobAge=600",
                "MaxArraySize=10001",
                "MaxJobCount=20000",
                "InactiveLimit=0",
                "KillWait=2",
                "NodeName=" + host + " NodeAddr=127.0.0.1 CPUs=2 RealMemory=2000 State=UNKNOWN",
                // many light test jobs share the two cores
                "PartitionName=debug Nodes=" + host + " Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:100",
                "");
    }

    private void awaitIdleNode() {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        String out = "";
        while (System.nanoTime() < deadline) {
            out = output("sinfo", "-h", "-o", "%T");
            if (out.strip().equals("idle")) {
                return;
            }
            sleep(250);
        }
        close();
        throw new IllegalStateException("the Slurm node never became idle (sinfo: " + out.strip() + "); see " + dir.resolve("log"));
    }

    /** Runs a Slurm client command against this cluster; its standard output. */
    public String output(String... command) {
        return exec(false, command);
    }

    /** Starts a daemon (it forks into the background) or fails saying why. */
    private void run(String... command) {
        exec(true, command);
    }

    private String exec(boolean mustSucceed, String... command) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().put("SLURM_CONF", conf().toString());
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            boolean ended = p.waitFor(60, TimeUnit.SECONDS);
            if (mustSucceed && (!ended || p.exitValue() != 0)) {
                throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Cancels every job (job steps outlive slurmd otherwise), then stops slurmd, slurmctld and munged. */
    @Override
    public void close() {
        output("scancel", "--full", "-u", System.getProperty("user.name"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!output("squeue", "-h", "-t", "pending,running,completing,suspended").isBlank() && System.nanoTime() < deadline) {
            sleep(200);
        }
        for (String pidFile : List.of("slurmd.pid", "slurmctld.pid", "munge/munged.pid")) {
            stop(dir.resolve(pidFile));
        }
        Files2.deleteTree(dir);
    }

    private static void stop(Path pidFile) {
        try {
            if (!Files.exists(pidFile)) {
                return;
            }
            long pid = Long.parseLong(Files.readString(pidFile).strip());
            ProcessHandle.of(pid).ifPresent(p -> {
                p.destroy();
                try {
                    p.onExit().get(10, TimeUnit.SECONDS);
                } catch (Exception e) {
                    p.destroyForcibly();
                }
            });
        } catch (IOException | NumberFormatException e) {
            // nothing to stop
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
