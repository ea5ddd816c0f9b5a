package io.caravan.core.staging;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A job task's declared files: what goes to the job directory before the job starts and what comes back after it
 * ends. Read from the task's rendered options, as the workflow loader wrote them ({@code StagingReader}).
 *
 * @param localBase the directory relative local paths are resolved against: the workflow file's
 */
public record StagePlan(List<StageEntry> in, List<StageEntry> out, Path localBase) {
    public static final String IN = "stage_in";
    public static final String OUT = "stage_out";
    /** The key the loader adds to each line: the workflow file's directory. */
    public static final String BASE = "base";

    public static final StagePlan NONE = new StagePlan(List.of(), List.of(), Path.of(""));

    public StagePlan {
        in = List.copyOf(in);
        out = List.copyOf(out);
    }

    public boolean isEmpty() {
        return in.isEmpty() && out.isEmpty();
    }

    /** The entries to fetch after a job that succeeded, or failed ({@code always} ones only). */
    public List<StageEntry> outAfter(boolean succeeded) {
        return succeeded ? out : out.stream().filter(StageEntry::always).toList();
    }

    /** From a task's rendered options; a value the loader did not check (a rendered template) is checked here. */
    public static StagePlan of(Map<String, Object> options) {
        List<StageEntry> in = new ArrayList<>();
        List<StageEntry> out = new ArrayList<>();
        Path base = null;
        for (boolean incoming : new boolean[] {true, false}) {
            if (!(options.get(incoming ? IN : OUT) instanceof List<?> lines)) {
                continue;
            }
            for (Object line : lines) {
                Map<?, ?> map = (Map<?, ?>) line;
                String from = text(map.get("from"));
                String to = text(map.get("to"));
                String problem = incoming ? StageEntry.problemIn(from, to) : StageEntry.problemOut(from, to);
                if (problem != null) {
                    throw new StagingException((incoming ? IN : OUT) + ": " + problem);
                }
                boolean always = "always".equals(text(map.get("when")));
                (incoming ? in : out).add(new StageEntry(from, to, Boolean.TRUE.equals(map.get("optional")), always));
                if (base == null && map.get(BASE) != null) {
                    base = Path.of(String.valueOf(map.get(BASE)));
                }
            }
        }
        return in.isEmpty() && out.isEmpty() ? NONE : new StagePlan(in, out, base == null ? Path.of("") : base);
    }

    private static String text(Object value) {
        return value == null ? null : String.valueOf(value);
    }
}
