package io.caravan.spi;

import java.util.regex.Pattern;

/**
 * The one set of rules for a job's directory, {@code <base>/<id>}: which bases and ids are safe, and how the
 * path is spelled. A base comes from a workflow ({@code workdir_base}) or the command line, an id from the
 * engine or a route; both end up in shell text and on a remote filesystem, so neither may climb out of where
 * it is meant to be. Since plugin API 1.3.0.
 */
public final class JobDirectory {
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,200}");

    private JobDirectory() {}

    /**
     * Whether {@code path} could climb above where it starts: it has {@code ..} in it. Strict on purpose: a name
     * with two dots in a row is refused too, which costs nobody anything and needs no reasoning about segments.
     */
    public static boolean climbs(String path) {
        return path.contains("..");
    }

    /**
     * A directory that holds job directories: relative (under the login's home directory) or absolute.
     *
     * @return {@code base}
     * @throws IllegalArgumentException when it is empty or climbs
     */
    public static String checkBase(String base) {
        if (base == null || base.isBlank() || climbs(base)) {
            throw new IllegalArgumentException("job base directory must be a path without '..': " + base);
        }
        return base;
    }

    /**
     * Ids become directory names and shell words: only safe characters, and never "." or "..".
     *
     * @return {@code id}
     * @throws IllegalArgumentException naming the id and the characters allowed
     */
    public static String checkId(String id) {
        if (id == null || !ID.matcher(id).matches() || id.equals(".") || id.equals("..")) {
            throw new IllegalArgumentException("invalid job id '" + id + "': use 1-200 of [A-Za-z0-9._-]");
        }
        return id;
    }

    /** The job's directory, as messages and listings show it; {@code base} and {@code id} as the checks above passed them. */
    public static String path(String base, String id) {
        return base + "/" + id;
    }
}
