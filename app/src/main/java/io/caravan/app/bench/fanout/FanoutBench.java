package io.caravan.app.bench.fanout;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** One fan-out size through every approach, printed as a table as it goes; the rows as JSON. */
public final class FanoutBench {
    /** The usual hand-rolled work-around: at most this many connections in flight. */
    private static final int THROTTLE = 8;
    /** ControlMaster clients share one connection: stay below OpenSSH's MaxSessions (10). */
    private static final int MUX_CLIENTS = 8;

    private FanoutBench() {
    }

    public static List<String> run(int jobs, int hosts, int parallel, PrintStream out) throws Exception {
        List<String> json = new ArrayList<>();
        try (Rig rig = new Rig(hosts)) {
            out.println();
            out.println(FanoutResult.header());
            FanoutResult a = Approaches.caravan(rig, jobs);
            List<FanoutResult> results = new ArrayList<>(List.of(a));
            out.println(a.row(a));
            FanoutResult b = Approaches.camelSsh(rig, jobs, parallel, 0);
            results.add(b);
            out.println(b.row(a));
            FanoutResult c = Approaches.camelSsh(rig, jobs, parallel, THROTTLE);
            results.add(c);
            out.println(c.row(a));
            if (Approaches.sshClientPresent()) {
                FanoutResult d = Approaches.controlMaster(rig, jobs, MUX_CLIENTS * hosts);
                results.add(d);
                out.println(d.row(a));
            } else {
                out.println("D ssh ControlMaster: skipped, no ssh client (/usr/bin/ssh)");
            }
            results.forEach(r -> json.add(r.json(a)));
        }
        return json;
    }
}
