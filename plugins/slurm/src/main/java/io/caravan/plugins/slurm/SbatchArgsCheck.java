package io.caravan.plugins.slurm;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Checks slurm_job's own options when the workflow is loaded. Each element of {@code sbatch_args} must be one
 * option ({@code --comment=x}, {@code -Cgpu}), and none of those Caravan sets itself ({@link #SET}) or that have
 * their own key: an option given twice would quietly win over Caravan's, breaking the job array, its log or its
 * directory. Long options are matched as sbatch matches them, by any prefix ({@code --arr=0-3} is {@code --array}).
 */
final class SbatchArgsCheck {
    /** What every submit sets, and why a job may not change it. */
    static final Map<String, String> SET = Map.of(
            "--array", "Caravan sets it: a fan-out is one job array",
            "--output", "Caravan sets it: the job's log is in its job directory",
            "--chdir", "Caravan sets it: each job runs in its own job directory",
            "--job-name", "Caravan sets it",
            "--parsable", "Caravan sets it: it reads the job id from sbatch",
            "--wrap", "the job's script is the task's script:",
            "--wait", "it would hold the submit until the job ends",
            "--test-only", "it would submit nothing");
    /** Options with their own key. */
    private static final Map<String, String> OWN_KEY = Map.of(
            "--partition", "partition:",
            "--time", "resources: { time: } (or time_limit:)",
            "--cpus-per-task", "resources: { cpus: }",
            "--mem", "resources: { mem: }",
            "--gpus", "resources: { gpus: }",
            "--account", "account:",
            "--qos", "qos:",
            "--constraint", "constraint:",
            "--reservation", "reservation:");

    private static final Map<Character, String> SHORT = Map.ofEntries(
            Map.entry('a', "--array"),
            Map.entry('o', "--output"),
            Map.entry('D', "--chdir"),
            Map.entry('J', "--job-name"),
            Map.entry('W', "--wait"),
            Map.entry('p', "--partition"),
            Map.entry('t', "--time"),
            Map.entry('c', "--cpus-per-task"),
            Map.entry('G', "--gpus"),
            Map.entry('A', "--account"),
            Map.entry('q', "--qos"),
            Map.entry('C', "--constraint"));
    /** Short options without a value: another may follow in the same element ({@code -Hv}). */
    private static final Set<Character> FLAGS = Set.of('H', 'h', 'O', 'Q', 's', 'u', 'V', 'v');

    private static final List<String> TEXT =
            List.of("partition", "time_limit", "account", "qos", "constraint", "reservation");

    private SbatchArgsCheck() {}

    static List<Map.Entry<String, String>> problems(Map<String, Object> options) {
        List<Map.Entry<String, String>> problems = new ArrayList<>();
        for (String key : TEXT) {
            Object value = options.get(key);
            if (value != null && !(value instanceof String || value instanceof Number)) {
                problems.add(Map.entry(key, key + " must be a single value"));
            } else if (value != null && String.valueOf(value).isBlank()) {
                problems.add(Map.entry(key, key + " is empty: leave it out for Slurm's default"));
            }
        }
        Object args = options.get("sbatch_args");
        if (args == null) {
            return problems;
        }
        if (!(args instanceof List<?> list)) {
            problems.add(Map.entry(
                    "sbatch_args", "sbatch_args must be a list, each element one argument: [\"--comment=x\"]"));
            return problems;
        }
        for (int i = 0; i < list.size(); i++) {
            String problem = problem(list.get(i));
            if (problem != null) {
                problems.add(Map.entry("sbatch_args[" + i + "]", "sbatch_args: " + problem));
            }
        }
        return problems;
    }

    private static String problem(Object element) {
        if (!(element instanceof String arg)) {
            return "'" + element + "' is not an option: each element is one option, its value after '=' (--nice=5)";
        }
        if (arg.indexOf('\0') >= 0) {
            return "an argument cannot hold a NUL character";
        }
        if (arg.contains("{{")) {
            return "'" + arg + "' holds {{ }}: sbatch_args are passed as written, not templates";
        }
        if (arg.startsWith("--") && arg.length() > 2) {
            String name = arg.split("=", 2)[0];
            String refused = refusal(name);
            return refused == null ? null : "'" + arg + "' is refused: " + refused;
        }
        if (arg.startsWith("-") && !arg.startsWith("--") && arg.length() > 1) {
            for (int i = 1; i < arg.length(); i++) {
                char c = arg.charAt(i);
                if (SHORT.containsKey(c)) {
                    return "'" + arg + "' is refused: -" + c + " is " + SHORT.get(c) + ", " + refusal(SHORT.get(c));
                }
                if (!FLAGS.contains(c)) {
                    break; // the rest is this option's value
                }
            }
            return null;
        }
        return "'" + arg + "' is not an option: each element is one option, its value after '=' (--comment=x) or"
                + " attached (-Cgpu)";
    }

    /** Why an option (or a prefix sbatch would take for it) is refused; null when it is not. */
    private static String refusal(String name) {
        for (Map.Entry<String, String> e : SET.entrySet()) {
            if (e.getKey().startsWith(name)) {
                return e.getValue() + " (" + e.getKey() + ")";
            }
        }
        for (Map.Entry<String, String> e : OWN_KEY.entrySet()) {
            if (e.getKey().startsWith(name)) {
                return "give " + e.getKey() + " with " + e.getValue();
            }
        }
        return null;
    }
}
