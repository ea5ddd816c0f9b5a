package io.caravan.spi.plugin;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** MAJOR.MINOR.PATCH with an optional -prerelease, ordered as semver.org says (1.10.0 after 1.9.0). */
public record SemanticVersion(int major, int minor, int patch, String preRelease)
        implements Comparable<SemanticVersion> {
    private static final Pattern FORM = Pattern.compile("(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?(?:-([0-9A-Za-z.-]+))?");

    public static SemanticVersion parse(String text) {
        Matcher m = text == null ? null : FORM.matcher(text.strip());
        if (m == null || !m.matches()) {
            throw new IllegalArgumentException("not a version (MAJOR.MINOR.PATCH): '" + text + "'");
        }
        return new SemanticVersion(
                Integer.parseInt(m.group(1)),
                m.group(2) == null ? 0 : Integer.parseInt(m.group(2)),
                m.group(3) == null ? 0 : Integer.parseInt(m.group(3)),
                m.group(4));
    }

    /** Whether a plugin built against {@code built} runs on this API: same major, and not a newer minor. */
    public boolean provides(SemanticVersion built) {
        return major == built.major && compareTo(new SemanticVersion(built.major, built.minor, 0, null)) >= 0;
    }

    @Override
    public int compareTo(SemanticVersion o) {
        int c = Integer.compare(major, o.major);
        c = c != 0 ? c : Integer.compare(minor, o.minor);
        c = c != 0 ? c : Integer.compare(patch, o.patch);
        if (c != 0 || Objects.equals(preRelease, o.preRelease)) {
            return c;
        }
        // a pre-release comes before its release
        return preRelease == null ? 1 : o.preRelease == null ? -1 : comparePre(preRelease, o.preRelease);
    }

    private static int comparePre(String a, String b) {
        String[] x = a.split("\\.");
        String[] y = b.split("\\.");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            boolean xn = x[i].matches("\\d+");
            boolean yn = y[i].matches("\\d+");
            int c = xn && yn
                    ? Long.compare(Long.parseLong(x[i]), Long.parseLong(y[i]))
                    : xn ? -1 : yn ? 1 : x[i].compareTo(y[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(x.length, y.length);
    }

    @Override
    public String toString() {
        return major + "." + minor + "." + patch + (preRelease == null ? "" : "-" + preRelease);
    }
}
