package io.caravan.core.workflow;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.caravan.spi.JobDirectory;
import io.caravan.spi.posix.ShellQuote;

/**
 * {@code remote_job:} a detached job on the target host or pool (SPEC §4), its options checked at load time;
 * plugins' job task types share its options and checks.
 */
public final class RemoteJobKind {
    public static final String KEY = "remote_job";
    public static final Set<String> OPTIONS = Set.of(
            "script",
            "command",
            "env",
            "workdir_base",
            "cleanup",
            "poll_interval",
            "kill_grace",
            "stage_in",
            "stage_out");
    /** The options that are shell text; the others (env's values, workdir_base, a plugin's own) are plain values. */
    public static final Set<String> SHELL_OPTIONS = Set.of("script", "command");

    private static final Set<String> CLEANUP = Set.of("always", "on_success", "never");

    private RemoteJobKind() {}

    public static TaskKind kind() {
        return jobKind(KEY, Set.of(), true);
    }

    /** A plugin's job task type: remote_job's options and checks, plus its own options. */
    public static TaskKind jobKind(String key, Set<String> extraOptions, boolean needsTarget) {
        return jobKind(key, extraOptions, needsTarget, OptionCheck.NONE);
    }

    /**
     * A plugin's job task type with its own check of its options, which sees them as the file writes them
     * ({@link #asWritten}): a template as its text.
     */
    public static TaskKind jobKind(String key, Set<String> extraOptions, boolean needsTarget, OptionCheck own) {
        Set<String> options = new HashSet<>(OPTIONS);
        options.addAll(extraOptions);
        return TaskKind.mapping(key, options, SHELL_OPTIONS, needsTarget, needsTarget, o -> {
            List<Map.Entry<String, String>> problems = new ArrayList<>(problems(o));
            problems.addAll(own.problems(asWritten(o)));
            return problems;
        });
    }

    /** Options as the file writes them: each template as its source text, in lists and mappings too. */
    public static Map<String, Object> asWritten(Map<String, Object> options) {
        Map<String, Object> written = new LinkedHashMap<>();
        options.forEach((k, v) -> written.put(k, asWritten(v)));
        return written;
    }

    private static Object asWritten(Object value) {
        if (value instanceof Template t) {
            return t.source();
        }
        if (value instanceof List<?> list) {
            return list.stream().map(RemoteJobKind::asWritten).toList();
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> written = new LinkedHashMap<>();
            map.forEach((k, v) -> written.put(String.valueOf(k), asWritten(v)));
            return written;
        }
        return value;
    }

    static List<Map.Entry<String, String>> problems(Map<String, Object> options) {
        List<Map.Entry<String, String>> problems = new ArrayList<>();
        if (options.containsKey("script") == options.containsKey("command")) {
            problems.add(Map.entry("", "remote_job needs exactly one of 'script' or 'command'"));
        }
        Object cleanup = options.get("cleanup");
        if (cleanup != null && !(cleanup instanceof Template t && CLEANUP.contains(t.source()))) {
            problems.add(Map.entry("cleanup", "cleanup must be one of always, on_success, never"));
        }
        for (String key : List.of("poll_interval", "kill_grace")) {
            if (options.get(key) instanceof Template t) {
                try {
                    Durations.parse(t.source());
                } catch (IllegalArgumentException e) {
                    problems.add(Map.entry(key, key + ": " + e.getMessage()));
                }
            } else if (options.containsKey(key)) {
                problems.add(Map.entry(key, key + " must be a duration like 10s or 5m"));
            }
        }
        Object env = options.get("env");
        if (env instanceof Map<?, ?> map) {
            for (Object name : map.keySet()) {
                try {
                    ShellQuote.envName(String.valueOf(name));
                } catch (IllegalArgumentException e) {
                    problems.add(Map.entry("env", e.getMessage()));
                }
            }
        } else if (env != null) {
            problems.add(Map.entry("env", "env must be a mapping of NAME: value"));
        }
        Object base = options.get("workdir_base");
        if (base != null && (!(base instanceof Template t) || JobDirectory.climbs(t.source()))) {
            problems.add(Map.entry("workdir_base", "workdir_base must be a directory path without '..'"));
        }
        return problems;
    }
}
