package io.caravan.app.cleanup;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

import io.caravan.spi.JobDirectory;

/**
 * What {@code cleanup sweep} may sweep, decided before it connects: never the root, a home directory or a
 * directory holding one, nor a path with '..'; without {@code --force}, only a base a known workflow
 * configures (or the default) and a TTL of at least {@link #MIN_TTL}. The host checks the root and its
 * login's home again once links are resolved, and removes only directories whose owner marker names their job.
 */
record SweepBase(Set<String> known, Set<Path> homes) {
    static final Duration MIN_TTL = Duration.ofMinutes(10);

    /** @param known the bases a workflow configures, as written; {@code homes} the local users' homes */
    SweepBase {
        known = Set.copyOf(known);
        homes = Set.copyOf(homes);
    }

    /** The home directories of /etc/passwd and $HOME: on most sites the same as on the hosts swept. */
    static Set<Path> localHomes() {
        Set<Path> homes = new LinkedHashSet<>();
        Optional.ofNullable(System.getenv("HOME"))
                .filter(h -> h.startsWith("/"))
                .ifPresent(h -> homes.add(Path.of(h).normalize()));
        homes.add(Path.of(System.getProperty("user.home")).normalize());
        try {
            for (String line : Files.readAllLines(Path.of("/etc/passwd"), StandardCharsets.UTF_8)) {
                String[] fields = line.split(":", -1);
                if (fields.length >= 6 && fields[5].startsWith("/")) {
                    homes.add(Path.of(fields[5]).normalize());
                }
            }
        } catch (IOException | RuntimeException e) {
            // no passwd file (a container, another OS): $HOME and the root are still refused
        }
        return homes;
    }

    /** Why this base may not be swept, or empty when it may. */
    Optional<String> refusal(String base, boolean force) {
        String relative = relative(base);
        if (base.isBlank() || relative.isEmpty()) {
            return Optional.of(
                    "--base '" + base + "' is the login's home directory itself: give the job base under it");
        }
        if (JobDirectory.climbs(base)) {
            return Optional.of("--base '" + base + "' has '..': give the directory as it is");
        }
        if (base.startsWith("/")) {
            Path path = Path.of(base).normalize();
            if (path.getParent() == null) {
                return Optional.of("--base '" + base + "' is the root directory: never swept");
            }
            for (Path home : homes) {
                if (home.startsWith(path) && home.getParent() != null) {
                    return Optional.of("--base '" + base + "' is " + (home.equals(path) ? "" : "above ")
                            + "the home directory " + home + ": never swept; give the job base under it");
                }
            }
        }
        if (!force && known.stream().map(SweepBase::relative).noneMatch(relative::equals)) {
            return Optional.of("--base '" + base + "' is not the workdir_base of a known workflow ("
                    + String.join(", ", known) + "); add --force to sweep it anyway");
        }
        return Optional.empty();
    }

    Optional<String> refusal(Duration ttl, boolean force) {
        if (!force && ttl.compareTo(MIN_TTL) < 0) {
            return Optional.of("--ttl " + ttl.toSeconds() + "s is under " + MIN_TTL.toMinutes()
                    + " minutes: a job that is" + " only starting may look orphaned; add --force to sweep anyway");
        }
        return Optional.empty();
    }

    /** A base as the login shell sees it: '~/' and './' dropped, no trailing '/', so "~/x", "./x/" and "x" agree. */
    private static String relative(String base) {
        String b = base.strip();
        while (b.startsWith("~/") || b.startsWith("./")) {
            b = b.substring(2);
        }
        if (b.equals("~") || b.equals(".")) {
            return "";
        }
        b = b.replaceAll("/+", "/");
        return b.length() > 1 && b.endsWith("/") ? b.substring(0, b.length() - 1) : b;
    }
}
