package io.caravan.spi.posix;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * Quoting for POSIX shells: whatever goes into a remote command line goes through here. Each method writes a
 * value for one place in shell text so that the command receives exactly the value; which place a value
 * stands in is for the caller to know (workflow templates find it with a lexer when they are loaded).
 */
public final class ShellQuote {
    /** Characters that are never special to sh or bash; '=' is not among them (a leading NAME= assigns). */
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9_@%+:,./-]+");

    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** Words the shell reads as syntax when unquoted in a command's first place (sh's and bash's). */
    private static final Set<String> RESERVED = Set.of(
            "case",
            "coproc",
            "do",
            "done",
            "elif",
            "else",
            "esac",
            "fi",
            "for",
            "function",
            "if",
            "in",
            "select",
            "then",
            "time",
            "until",
            "while");

    private ShellQuote() {}

    /** One shell word that stands for exactly {@code value}, whatever it contains. */
    public static String quote(String value) {
        carriable(value);
        if (!value.isEmpty() && SAFE.matcher(value).matches() && !RESERVED.contains(value)) {
            return value;
        }
        return "'" + value.replace("'", "'\"'\"'") + "'";
    }

    /** {@code value} written between double quotes: the four characters special there are escaped. */
    public static String inDoubleQuotes(String value) {
        return escape(carriable(value), "\\\"$`");
    }

    /** {@code value} written between single quotes: each quote closes the string, adds an escaped quote and reopens. */
    public static String inSingleQuotes(String value) {
        return carriable(value).replace("'", "'\\''");
    }

    /**
     * {@code value} written in a here-document's body whose delimiter is unquoted, where the shell expands
     * {@code $} and backquotes and a backslash escapes them. (A quoted delimiter's body takes the value as it is;
     * in both, a line of the value that equals the delimiter is for the caller to refuse.)
     */
    public static String inHereDocument(String value) {
        return escape(carriable(value), "\\$`");
    }

    /**
     * The value itself, if a shell argument, file or environment variable can carry it: not if it holds a NUL
     * character (C strings end there) or a lone UTF-16 surrogate (it is not Unicode text, so it has no UTF-8
     * bytes). Such a value is refused, never altered.
     *
     * @throws IllegalArgumentException saying which of the two and where
     */
    public static String carriable(String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0) {
                throw new IllegalArgumentException("the value holds a NUL character (at character " + i
                        + "), which no command argument, file or environment variable can carry");
            }
            if (Character.isSurrogate(c)) {
                boolean paired = Character.isHighSurrogate(c)
                        && i + 1 < value.length()
                        && Character.isLowSurrogate(value.charAt(i + 1));
                if (!paired) {
                    throw new IllegalArgumentException(
                            "the value is not valid Unicode text (a lone surrogate at character " + i
                                    + "), so it has no UTF-8 bytes to pass on");
                }
                i++;
            }
        }
        return value;
    }

    /** Environment variable names go into command lines unquoted, so only valid names are accepted. */
    public static String envName(String name) {
        if (name == null || !ENV_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid environment variable name '" + name
                    + "': use letters, digits and '_', not starting with a digit");
        }
        return name;
    }

    private static String escape(String value, String special) {
        StringBuilder out = new StringBuilder(value.length() + 8);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (special.indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
