package io.caravan.spi.posix;

import java.util.regex.Pattern;

/** Quoting for POSIX shells: whatever goes into a remote command line goes through here. */
public final class ShellQuote {
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+=:,./-]+");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private ShellQuote() {
    }

    /** One shell word that stands for exactly {@code value}, whatever it contains. */
    public static String quote(String value) {
        if (!value.isEmpty() && SAFE.matcher(value).matches()) {
            return value;
        }
        return "'" + value.replace("'", "'\"'\"'") + "'";
    }

    /** Environment variable names go into command lines unquoted, so only valid names are accepted. */
    public static String envName(String name) {
        if (name == null || !ENV_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid environment variable name '" + name
                    + "': use letters, digits and '_', not starting with a digit");
        }
        return name;
    }
}
