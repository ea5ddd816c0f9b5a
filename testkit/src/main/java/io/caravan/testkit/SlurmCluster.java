package io.caravan.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real single-node Slurm cluster for tests: its own munged, slurmctld and slurmd (Debian's slurm-wlm and
 * munge packages), configured in a temporary directory, listening on free loopback ports, all stopped by
 * {@link #close()}. Client commands find it through {@code SLURM_CONF}: {@link #conf()}. Longer than most
 * classes: the configuration, start-up waits and clean stop of three daemons belong to one fixture.
 */
public final class SlurmCluster implements AutoCloseable {
    private static final String OWNER = "owner.pid";
    /** Held while a cluster runs: one cluster on the machine at a time, whichever test JVM (fork) starts it. */
    private static final Path MACHINE_LOCK = Path.of(System.getProperty("java.io.tmpdir"), "caravan-slurm.lock");

    private static final long LOCK_WAIT_MINUTES = 15;
    private final Path dir;
    private final String host;
    private final boolean enforceMemory;
    private FileChannel lockChannel;

    private SlurmCluster(Path dir, String host, boolean enforceMemory) {
        this.dir = dir;
        this.host = host;
        this.enforceMemory = enforceMemory;
    }

    public static SlurmCluster start() {
        return start(false);
    }

    /**
     * A cluster that holds jobs to the memory they ask for ({@code --mem}), as production clusters do: memory is a
     * consumable resource, and a job step using more than its share is killed (the job ends OUT_OF_MEMORY). slurmd
     * samples each job's processes every second ({@code jobacct_gather/linux} with {@code OverMemoryKill}), so the test
     * machine needs no cgroup setup; a job must hold its excess for a second or two to be caught.
     */
    public static SlurmCluster startEnforcingMemory() {
        return start(true);
    }

    private static SlurmCluster start(boolean enforceMemory) {
        for (String binary :
                List.of("/usr/sbin/munged", "/usr/sbin/slurmctld", "/usr/sbin/slurmd", "/usr/bin/sbatch")) {
            if (!Files.isExecutable(Path.of(binary))) {
                throw new IllegalStateException(
                        "Slurm is missing (" + binary + "): install it with: apt-get install slurm-wlm munge");
            }
        }
        FileChannel lock = lockMachine();
        reapOrphans();
        try {
            Path dir = Files.createTempDirectory("caravan-slurm-");
            // the JVM that owns the cluster: a later start stops a cluster whose owner died without closing it
            Files.writeString(
                    dir.resolve(OWNER), Long.toString(ProcessHandle.current().pid()));
            SlurmCluster cluster = new SlurmCluster(
                    dir, InetAddress.getLocalHost().getHostName().split("\\.")[0], enforceMemory);
            cluster.lockChannel = lock;
            Runtime.getRuntime().addShutdownHook(new Thread(cluster::stopDaemons, "caravan-slurm-stop"));
            cluster.boot();
            return cluster;
        } catch (IOException | RuntimeException e) {
            closeQuietly(lock);
            throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
        }
    }

    /**
     * Two clusters' daemons on one machine slow each other down until launches fail ("launch failed requeued
     * held"), so test JVMs running in parallel (surefire forks) take turns: a start waits, bounded, for the
     * cluster of another JVM to close. The lock is the OS's: it goes with a JVM that dies.
     */
    private static FileChannel lockMachine() {
        try {
            FileChannel channel = FileChannel.open(MACHINE_LOCK, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(LOCK_WAIT_MINUTES);
            while (true) {
                try {
                    if (channel.tryLock() != null) {
                        return channel;
                    }
                } catch (OverlappingFileLockException e) {
                    // a cluster of this JVM still runs: wait for its close like any other
                }
                if (System.nanoTime() > deadline) {
                    channel.close();
                    throw new IllegalStateException("another test's Slurm cluster held " + MACHINE_LOCK + " for "
                            + LOCK_WAIT_MINUTES + " minutes");
                }
                sleep(500);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException e) {
            // closing releases the lock; there is nothing else to do
        }
    }

    /**
     * Stops the daemons of clusters whose test JVM is gone (killed, or timed out by the build) and deletes their
     * directories: two clusters' daemons on one machine slow each other down, and nothing may outlive its test.
     */
    private static void reapOrphans() {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (var dirs = Files.newDirectoryStream(tmp, "caravan-slurm-*")) {
            for (Path dir : dirs) {
                Path owner = dir.resolve(OWNER);
                long pid = Files.isRegularFile(owner)
                        ? Long.parseLong(Files.readString(owner).strip())
                        : -1;
                if (pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                if (pid > 0 || Files.getLastModifiedTime(dir).toMillis() < System.currentTimeMillis() - 3_600_000) {
                    new SlurmCluster(dir, "", false).stopDaemons();
                    Files2.deleteTree(dir);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // a cluster we cannot read is not ours to stop
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
        run(
                "/usr/sbin/munged",
                "--socket=" + dir.resolve("munge/munge.socket"),
                "--key-file=" + dir.resolve("munge/munge.key"),
                "--pid-file=" + dir.resolve("munge/munged.pid"),
                "--log-file=" + dir.resolve("munge/munged.log"),
                "--seed-file=" + dir.resolve("munge/seed"),
                "-f");
        run("/usr/sbin/slurmctld");
        run("/usr/sbin/slurmd", "-N", host);
        awaitIdleNode();
    }

    private String config(int ctldPort, int slurmdPort) {
        return String.join(
                "\n",
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
                enforceMemory
                        ? "JobAcctGatherType=jobacct_gather/linux\nJobAcctGatherFrequency=task=1\n"
                                + "JobAcctGatherParams=OverMemoryKill"
                        : "JobAcctGatherType=jobacct_gather/none",
                "AccountingStorageType=accounting_storage/none",
                "SchedulerType=sched/backfill",
                "SelectType=select/cons_tres",
                // memory as a consumable resource: a job is given (and held to) what it asks for, 100 MB unless it asks
                enforceMemory
                        ? "SelectTypeParameters=CR_Core_Memory\nDefMemPerNode=100"
                        : "SelectTypeParameters=CR_Core",
                "MpiDefault=none",
                "ReturnToService=2",
                // finished jobs stay visible to squeue --states=all for ten minutes: polling needs no accounting
                // database
                "MinJobAge=600",
                "MaxArraySize=10001",
                "MaxJobCount=20000",
                "InactiveLimit=0",
                "KillWait=2",
                // a loaded 2-core test machine can take longer than the 10 s default to confirm a launch (the
                // element is then held as "launch failed requeued held")
                "MessageTimeout=60",
                "BatchStartTimeout=120",
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
        throw new IllegalStateException(
                "the Slurm node never became idle (sinfo: " + out.strip() + "); see " + dir.resolve("log"));
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
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
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
        try {
            output("scancel", "--full", "-u", System.getProperty("user.name"));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (!output("squeue", "-h", "-t", "pending,running,completing,suspended")
                            .isBlank()
                    && System.nanoTime() < deadline) {
                sleep(200);
            }
        } finally {
            stopDaemons();
            Files2.deleteTree(dir);
            closeQuietly(lockChannel);
        }
    }

    private void stopDaemons() {
        for (String pidFile : List.of("slurmd.pid", "slurmctld.pid", "munge/munged.pid")) {
            stop(dir.resolve(pidFile));
        }
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
