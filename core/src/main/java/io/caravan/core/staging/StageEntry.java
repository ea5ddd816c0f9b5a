package io.caravan.core.staging;

import java.util.Set;

/**
 * One line of a task's {@code stage_in:} or {@code stage_out:}, templates rendered. Paths on the host are relative
 * to the job directory unless absolute; local paths are relative to the workflow file's directory unless absolute.
 * A glob ({@code * ? [ ]}) may stand in the last part of a {@code from} only, and makes {@code to} a directory;
 * so does a {@code to} that ends with '/'.
 *
 * @param from     stage_in: local file or glob; stage_out: file or glob on the host
 * @param to       stage_in: where on the host (null: the job directory); stage_out: where here
 * @param optional a glob that matches nothing, or a file that is missing, is not an error
 * @param always   stage_out only: fetched after a job that failed too (by default only after one that succeeded)
 */
public record StageEntry(String from, String to, boolean optional, boolean always) {
    /** Files of the job protocol in the job directory: staging in must not write over them. */
    static final Set<String> PROTOCOL_FILES =
            Set.of("script", "env", "owner", "log", "pgid", "exit", ".started", "outputs.json", "slurm", ".wrapper");

    public boolean glob() {
        return isGlob(name(from));
    }

    /** Whether {@code to} names a directory the matched files go into under their own names. */
    public boolean toDirectory() {
        return to == null || to.isEmpty() || to.endsWith("/") || glob();
    }

    /** What is wrong with a stage_in line, or null. */
    public static String problemIn(String from, String to) {
        String problem = globOnlyInName("from", from);
        return problem != null ? problem : remotePathProblem("to", to, true);
    }

    /** What is wrong with a stage_out line, or null. */
    public static String problemOut(String from, String to) {
        if (to == null || to.isBlank()) {
            return "stage_out needs 'to', the local path the file goes to";
        }
        String problem = globOnlyInName("from", from);
        return problem != null ? problem : remotePathProblem("from", from, false);
    }

    private static String globOnlyInName(String key, String path) {
        if (path == null || path.isBlank()) {
            return "'" + key + "' must be a path";
        }
        int slash = path.lastIndexOf('/');
        if (slash > 0 && isGlob(path.substring(0, slash))) {
            return "'" + key + "': a glob may stand in the file name only, not in a directory: " + path;
        }
        return null;
    }

    /** A relative path on the host stays inside the job directory, and a staged file never replaces the protocol's. */
    private static String remotePathProblem(String key, String path, boolean written) {
        if (path == null || path.startsWith("/")) {
            return null;
        }
        for (String part : path.split("/")) {
            if (part.equals("..")) {
                return "'" + key + "': a path relative to the job directory must not contain '..': " + path;
            }
        }
        String first = path.split("/", 2)[0];
        if (written && PROTOCOL_FILES.contains(first)) {
            return "'" + key + "': " + first + " is a file of the job protocol in the job directory; pick another name";
        }
        return null;
    }

    static boolean isGlob(String text) {
        return text.indexOf('*') >= 0 || text.indexOf('?') >= 0 || text.indexOf('[') >= 0;
    }

    /** The last part of a path. */
    static String name(String path) {
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }

    /** The path without its last part: "" for a bare name, "/" for a file in the root. */
    static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? "" : slash == 0 ? "/" : path.substring(0, slash);
    }
}
