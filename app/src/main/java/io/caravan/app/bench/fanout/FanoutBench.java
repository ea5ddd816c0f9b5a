package io.caravan.app.bench.fanout;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** One fan-out size through every approach, printed as a table as it goes; the rows as JSON. */
public final class FanoutBench {
    /** The usual hand-rolled work-around: at most this many connections in flight. */
    private static final int THROTTLE = 8;
    /** ControlMaster clients share one connection: stay below OpenSSH's MaxSessions (10). */
    private static final int MUX_CLIENTS = 8;
    /** Jobs of the untimed first pass of A and F. */
    private static final int WARM_UP_JOBS = 50;

    private FanoutBench() {}

    /**
     * @param others which of B, C, D, F, G, R to run besides A; F (the floor) runs first, so that A's row can carry its
     *               ratio to the floor when it is printed
     */
    public static List<String> run(int jobs, int hosts, int parallel, Set<Character> others, PrintStream out)
            throws Exception {
        List<String> json = new ArrayList<>();
        try (Rig rig = new Rig(hosts)) {
            out.println();
            out.println(FanoutResult.header());
            // the first pass through code in this JVM (class loading, the JIT) is not what a fan-out costs: A and F run
            // once untimed with a few jobs, under their own directories
            int warm = Math.min(jobs, WARM_UP_JOBS);
            Approaches.caravan(rig, warm, "warm-a");
            if (others.contains('F')) {
                Floor.measure(rig, warm, Floor.SCRIPT);
            }
            FanoutResult f = others.contains('F') ? Floor.run(rig, jobs) : null;
            FanoutResult a = Approaches.caravan(rig, jobs);
            List<FanoutResult> results = new ArrayList<>(List.of(a));
            out.println(a.row(a, f));
            if (f != null) {
                results.add(print(f, a, f, out));
            }
            if (others.contains('G')) {
                results.add(print(Floor.run(rig, jobs, Floor.Start.CONTRACT), a, f, out));
            }
            if (others.contains('R')) {
                results.add(print(WholeRun.run(rig, jobs), a, f, out));
            }
            if (others.contains('B')) {
                results.add(print(Approaches.camelSsh(rig, jobs, parallel, 0), a, f, out));
            }
            if (others.contains('C')) {
                results.add(print(Approaches.camelSsh(rig, jobs, parallel, THROTTLE), a, f, out));
            }
            if (others.contains('D') && Approaches.sshClientPresent()) {
                results.add(print(Approaches.controlMaster(rig, jobs, MUX_CLIENTS * hosts), a, f, out));
            } else if (others.contains('D')) {
                out.println("D ssh ControlMaster: skipped, no ssh client (/usr/bin/ssh)");
            }
            results.forEach(r -> json.add(r.json(a, f)));
        }
        return json;
    }

    private static FanoutResult print(FanoutResult r, FanoutResult a, FanoutResult f, PrintStream out) {
        out.println(r.row(a, f));
        return r;
    }
}
