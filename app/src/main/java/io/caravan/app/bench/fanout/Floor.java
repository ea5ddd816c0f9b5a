package io.caravan.app.bench.fanout;

import static io.caravan.spi.posix.ShellQuote.quote;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import io.caravan.spi.posix.ShellSnippets;
import io.caravan.testkit.OpenSshServer;
import io.caravan.testkit.SshdLog;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.RejectAllServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * F, the floor: the same jobs as Caravan's remote_job runs them (a directory {@code <base>/<id>/} each, with
 * {@code script}, {@code log} for stdout and stderr, and {@code exit} holding "CODE ok"), driven by the smallest
 * hand-written shell there is over one connection per host, opened before the clock starts. Four commands per
 * host: one starts every job, one waits until every exit file is complete, one reads all exit codes and logs,
 * one removes the directories. No engine, no database, no retries: what is left of A's time above this is
 * Caravan's own cost.
 *
 * <p>Each job costs the host one fork and no exec: a background subshell that sources the script, with an EXIT
 * trap that writes the exit file (so a script's own {@code exit} still records its code). It is not killable as
 * a group, has no owner marker, and a script that sets its own EXIT trap loses its exit file: the floor does less
 * than a job supervisor must. G ({@link Start#CONTRACT}) is the same driver doing what SPEC §4 asks of each job.
 */
final class Floor {
    static final String NAME = "F floor: 4 commands per host, no engine";
    static final String CONTRACT_NAME = "G floor with SPEC 4's per-job contract";

    /**
     * How each job is started. {@link #BARE} is F: one fork, no exec. {@link #CONTRACT} is G, the least a job
     * supervisor keeping SPEC §4 does per job: an owner marker, a session and process group of its own
     * ({@code setsid}, so a cancel can kill the whole tree) whose id is written down, and an exit code the script
     * cannot suppress (a subshell for it: its own {@code exit} or EXIT trap does not skip the exit file). Two
     * forks and two execs (setsid, sh), five files: what Caravan's host side does, without an engine.
     */
    enum Start {
        BARE("  ( cd \"j$i\" || exit 97; trap 'echo \"$? ok\" > exit' EXIT; ITEM=$i; export ITEM;"
                + " . ./script > log 2>&1 < /dev/null ) < /dev/null > /dev/null 2>&1 &\n"),
        CONTRACT("  printf 'bench item=%s\\n' \"$i\" > \"j$i/owner\"\n"
                + "  ( ITEM=$i; export ITEM; exec setsid sh -c 'cd \"$1\" || exit 97; echo \"-$$ ok\" > pgid;"
                + " (set --; . ./script) > log 2>&1 < /dev/null; echo \"$? ok\" > exit' sh \"j$i\" )"
                + " < /dev/null > /dev/null 2>&1 &\n");

        final String perJob;

        Start(String perJob) {
            this.perJob = perJob;
        }
    }
    /** The benchmark's job, as approach A's workflow runs it. */
    static final String SCRIPT = "echo \"job $ITEM\"";

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    /** The wait command's bound: polls of 50 ms, so two minutes of waiting in all. */
    private static final int MAX_POLLS = 2400;

    /** One job's result as read back from its host. */
    record Outcome(int exit, String log) {}

    /** The figures, and each job's outcome by its item number. */
    record Run(FanoutResult result, Map<Integer, Outcome> outcomes) {}

    private Floor() {}

    /** The benchmark's run: a job failed unless it exited 0 with exactly "job N\n" in its log. */
    static FanoutResult run(Rig rig, int jobs) throws Exception {
        return run(rig, jobs, Start.BARE);
    }

    /** F, or G with {@link Start#CONTRACT}. */
    static FanoutResult run(Rig rig, int jobs, Start start) throws Exception {
        Run run = measure(rig, jobs, SCRIPT, start);
        int failed = failed(run.outcomes, jobs);
        FanoutResult r = run.result;
        return new FanoutResult(
                r.approach(),
                r.jobs(),
                r.hosts(),
                r.wallMillis(),
                failed,
                r.handshakes(),
                r.drops(),
                r.execChannels(),
                r.dirsLeft());
    }

    /** Jobs 0..jobs-1 that did not exit 0 with exactly "job N\n" in their log, as {@link #SCRIPT} would. */
    static int failed(Map<Integer, Outcome> outcomes, int jobs) {
        int failed = 0;
        for (int i = 0; i < jobs; i++) {
            Outcome o = outcomes.get(i);
            if (o == null || o.exit != 0 || !o.log.equals("job " + i + "\n")) {
                failed++;
            }
        }
        return failed;
    }

    /** Runs {@code jobs} copies of {@code script}, job i on host i mod hosts with ITEM=i; counts no failures itself. */
    static Run measure(Rig rig, int jobs, String script) throws Exception {
        return measure(rig, jobs, script, Start.BARE);
    }

    static Run measure(Rig rig, int jobs, String script, Start start) throws Exception {
        String approach = start == Start.BARE ? "f" : "g";
        List<SshdLog.Mark> marks = rig.marks();
        SshClient client = SshClient.setUpDefaultClient();
        CoreModuleProperties.TCP_NODELAY.set(client, true);
        client.start();
        ExecutorService perHost = Executors.newFixedThreadPool(rig.hosts.size());
        List<ClientSession> sessions = new ArrayList<>();
        try {
            for (OpenSshServer h : rig.hosts) {
                sessions.add(connect(client, h));
            }
            List<Future<Map<Integer, Outcome>>> results = new ArrayList<>();
            long began = System.nanoTime();
            for (int h = 0; h < rig.hosts.size(); h++) {
                List<Integer> items = new ArrayList<>();
                for (int i = h; i < jobs; i += rig.hosts.size()) {
                    items.add(i);
                }
                ClientSession session = sessions.get(h);
                String base = rig.base(h, approach).toString();
                results.add(perHost.submit(() -> onHost(session, base, items, script, start)));
            }
            Map<Integer, Outcome> outcomes = new TreeMap<>();
            for (Future<Map<Integer, Outcome>> f : results) {
                outcomes.putAll(f.get());
            }
            long wall = (System.nanoTime() - began) / 1_000_000;
            FanoutResult result = new FanoutResult(
                    start == Start.BARE ? NAME : CONTRACT_NAME,
                    jobs,
                    rig.hosts.size(),
                    wall,
                    0,
                    rig.logins(marks),
                    rig.drops(marks),
                    4L * rig.hosts.size(),
                    rig.dirsLeft(approach));
            return new Run(result, outcomes);
        } finally {
            perHost.shutdownNow();
            for (ClientSession s : sessions) {
                s.close(true);
            }
            client.stop();
        }
    }

    private static Map<Integer, Outcome> onHost(
            ClientSession session, String base, List<Integer> items, String script, Start start) throws IOException {
        String ids = items.stream().map(i -> "j" + i).collect(Collectors.joining(" "));
        String nums = items.stream().map(String::valueOf).collect(Collectors.joining(" "));
        String cd = "cd " + quote(base) + " || exit 90\n";
        exec(
                session,
                cd + "mkdir " + ids + " || exit 92\ns=" + quote(script) + "\nfor i in " + nums + "; do\n"
                        + "  printf '%s' \"$s\" > \"j$i/script\"\n"
                        + start.perJob
                        + "done\n");
        exec(
                session,
                cd + "n=0\nfor j in " + ids + "; do\n"
                        + "  while :; do f=\"$j/exit\"; " + ShellSnippets.READ_MARKED + "; [ -n \"$t\" ] && break\n"
                        + "    n=$((n + 1)); [ $n -gt " + MAX_POLLS + " ] && exit 3; sleep 0.05; done\n"
                        + "done\n");
        String logs = items.stream().map(i -> "j" + i + "/log").collect(Collectors.joining(" "));
        byte[] out = exec(
                session,
                cd + "for j in " + ids + "; do f=\"$j/exit\"; " + ShellSnippets.READ_MARKED
                        + "; echo \"${t:--}\"; done\necho @@sizes\nstat -c %s " + logs + "\necho @@cat\ncat " + logs
                        + "\n");
        exec(session, cd + "rm -rf -- " + ids + "\n");
        return parse(out, items);
    }

    /** Exit codes, one line per job; "@@sizes" and a size per log; "@@cat" and the logs' bytes back to back. */
    private static Map<Integer, Outcome> parse(byte[] out, List<Integer> items) {
        String text = new String(out, StandardCharsets.ISO_8859_1); // one char per byte: indexes are byte offsets
        int cat = text.indexOf("@@cat\n");
        List<String> lines =
                cat < 0 ? List.of() : text.substring(0, cat).lines().toList();
        int sizesAt = lines.indexOf("@@sizes");
        if (sizesAt != items.size() || lines.size() != 2 * items.size() + 1) {
            throw new IllegalStateException(
                    "unreadable floor output: " + text.substring(0, Math.min(text.length(), 300)));
        }
        Map<Integer, Outcome> outcomes = new TreeMap<>();
        int at = cat + "@@cat\n".length();
        for (int k = 0; k < items.size(); k++) {
            int size = Integer.parseInt(lines.get(sizesAt + 1 + k).strip());
            String exit = lines.get(k).strip();
            String log = new String(out, at, size, StandardCharsets.UTF_8);
            at += size;
            outcomes.put(items.get(k), new Outcome(exit.equals("-") ? -1 : Integer.parseInt(exit), log));
        }
        return outcomes;
    }

    private static ClientSession connect(SshClient client, OpenSshServer h)
            throws IOException, GeneralSecurityException {
        KeyPair key;
        try (InputStream in = Files.newInputStream(h.clientKey())) {
            key = SecurityUtils.loadKeyPairIdentities(
                            null, NamedResource.ofName(h.clientKey().toString()), in, FilePasswordProvider.EMPTY)
                    .iterator()
                    .next();
        }
        client.setServerKeyVerifier(
                new KnownHostsServerKeyVerifier(RejectAllServerKeyVerifier.INSTANCE, h.knownHosts()));
        ClientSession session =
                client.connect(h.user(), h.host(), h.port()).verify(TIMEOUT).getSession();
        session.addPublicKeyIdentity(key);
        session.auth().verify(TIMEOUT);
        return session;
    }

    /** Runs one command to its end (the wait command bounds itself); its stdout, or an exception unless it exited 0. */
    private static byte[] exec(ClientSession session, String command) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (ChannelExec channel = session.createExecChannel(command)) {
            channel.setOut(out);
            channel.setErr(err);
            channel.open().verify(TIMEOUT);
            channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), Duration.ofSeconds(MAX_POLLS / 20 + 60));
            Integer status = channel.getExitStatus();
            if (status == null || status != 0) {
                throw new IOException("floor command exited " + status + ": "
                        + err.toString(StandardCharsets.UTF_8).strip());
            }
        }
        return out.toByteArray();
    }
}
