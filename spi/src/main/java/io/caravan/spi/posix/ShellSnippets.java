package io.caravan.spi.posix;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Pieces of POSIX shell that every job protocol script here shares, and the parsing of what they print. */
public final class ShellSnippets {
    /**
     * Reads the marked file named by $f into $t; $t is empty unless the file ends with the word "ok". Standard error
     * is sent away before the file is opened: redirections apply left to right, and a missing file (the usual case
     * for an exit file) would otherwise print "cannot open" once per job and round, ~100 KB a poll of 1000 jobs.
     */
    public static final String READ_MARKED = "t=; m=; read t m 2>/dev/null < \"$f\"; [ \"$m\" = ok ] || t=";

    private static final Pattern SIZE_LINE = Pattern.compile("(\\d+) (.+)/log");

    private ShellSnippets() {}

    /** "SIZE NAME" per existing file, with GNU or BSD stat; a file not created yet is simply absent. */
    public static String statSizes(String files) {
        return "if stat -c %s / >/dev/null 2>&1; then stat -c '%s %n' " + files + " 2>/dev/null; else stat -f '%z %N' "
                + files + " 2>/dev/null; fi\n";
    }

    /** The ids as shell words. */
    public static String words(List<String> ids) {
        return String.join(" ", ids.stream().map(ShellQuote::quote).toList());
    }

    /** Each id's log file as shell words. */
    public static String logs(List<String> ids) {
        return String.join(
                " ", ids.stream().map(id -> ShellQuote.quote(id + "/log")).toList());
    }

    /** An env file: one quoted export per variable, names validated. */
    public static String exports(Map<String, String> env) {
        StringBuilder sb = new StringBuilder();
        env.forEach((k, v) -> sb.append("export ")
                .append(ShellQuote.envName(k))
                .append('=')
                .append(ShellQuote.quote(v))
                .append('\n'));
        return sb.toString();
    }

    /** Output split at "@@NAME" lines: the lines before the first marker under "", the others under NAME. */
    public static Map<String, List<String>> sections(String out) {
        Map<String, List<String>> sections = new LinkedHashMap<>();
        List<String> current = new ArrayList<>();
        sections.put("", current);
        for (String line : out.lines().toList()) {
            if (line.startsWith("@@") && !line.contains(" ")) {
                current = new ArrayList<>();
                sections.put(line.substring(2), current);
            } else if (!line.isBlank()) {
                current.add(line);
            }
        }
        return sections;
    }

    /** Log sizes by job id from {@link #statSizes} lines. */
    public static Map<String, Long> sizes(List<String> lines) {
        Map<String, Long> sizes = new HashMap<>();
        for (String line : lines) {
            Matcher m = SIZE_LINE.matcher(line);
            if (!m.matches()) {
                throw new IllegalStateException("unreadable size line from the job host: '" + line + "'");
            }
            sizes.put(m.group(2), Long.parseLong(m.group(1)));
        }
        return sizes;
    }
}
