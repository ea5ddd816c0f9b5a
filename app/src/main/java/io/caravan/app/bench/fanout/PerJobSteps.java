package io.caravan.app.bench.fanout;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * How a tool without pooling runs a detached job: submit it, poll for its exit code, read its output, remove
 * its directory: each step a separate command, retried a few times with a pause, as such tools do.
 */
final class PerJobSteps {
    private static final int ATTEMPTS = 3;
    private static final int MAX_POLLS = 120;

    private final CommandRunner runner;
    private final String base;
    final AtomicLong commands = new AtomicLong();

    PerJobSteps(CommandRunner runner, String base) {
        this.runner = runner;
        this.base = base;
    }

    /** Runs every job with {@code parallel} jobs in flight; the number of jobs that failed. */
    int runAll(int jobs, int hosts, int parallel) throws InterruptedException {
        AtomicInteger failed = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(parallel);
        for (int i = 0; i < jobs; i++) {
            int job = i;
            pool.execute(() -> {
                if (!runOne(job, job % hosts)) {
                    failed.incrementAndGet();
                }
            });
        }
        pool.shutdown();
        if (!pool.awaitTermination(2, TimeUnit.HOURS)) {
            pool.shutdownNow();
        }
        return failed.get();
    }

    private boolean runOne(int job, int host) {
        String dir = base + "/j" + job;
        try {
            step(
                    host,
                    "mkdir -p " + dir + " && cd " + dir + " && (nohup sh -c 'echo job " + job
                            + " > log; echo 0 > exit' > /dev/null 2>&1 &)");
            int polls = 0;
            while (!step(host, "cat " + dir + "/exit 2>/dev/null || true")
                    .strip()
                    .equals("0")) {
                if (++polls > MAX_POLLS) {
                    return false;
                }
                Thread.sleep(250);
            }
            boolean right = step(host, "cat " + dir + "/log").strip().equals("job " + job);
            step(host, "rm -rf " + dir);
            return right;
        } catch (Exception e) {
            return false;
        }
    }

    private String step(int host, String command) throws Exception {
        Exception last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                commands.incrementAndGet();
                return runner.run(host, command);
            } catch (Exception e) {
                last = e;
                Thread.sleep(1000L * attempt);
            }
        }
        throw last;
    }
}
