package io.caravan.testkit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Values a hostile workflow author, {@code --set} or upstream output could put into a template: shell syntax of
 * every kind, here-document delimiters, characters no argument can carry, long and non-ASCII text. Those that
 * would run a command try to create a file {@code pwned} in the working directory.
 */
public final class HostileValues {
    /** The marker file a value that ran as a command creates. */
    public static final String MARKER = "pwned";
    /** The delimiter the corpus's here-documents use, so that values can try to end them. */
    public static final String DELIMITER = "EOF";

    private HostileValues() {}

    /** Every value by a short name, in a fixed order. */
    public static Map<String, String> all() {
        Map<String, String> v = new LinkedHashMap<>(carriable());
        v.put("nul", "a\0touch pwned");
        v.put("lone-surrogate", "a\uD800b");
        v.put("reversed-surrogates", "\uDC00\uD800");
        return v;
    }

    /** The values that a command argument can carry (no NUL, valid Unicode). */
    public static Map<String, String> carriable() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("command-substitution", "$(touch pwned)");
        v.put("backquotes", "`touch pwned`");
        v.put("single-quote", "'");
        v.put("quote-breakout", "'; touch pwned; '");
        v.put("double-quote", "\"");
        v.put("dq-breakout", "\"; touch pwned; \"");
        v.put("backslash", "\\");
        v.put("trailing-backslash", "a\\");
        v.put("escaped-dollar", "\\$(touch pwned)");
        v.put("newline", "a\nb");
        v.put("trailing-newlines", "a\n\n");
        v.put("crlf", "a\r\nb");
        v.put("newline-command", "x\ntouch pwned\n");
        v.put("semicolon", "; touch pwned");
        v.put("and", "&& touch pwned");
        v.put("pipe", "| touch pwned");
        v.put("ifs", "$IFS");
        v.put("braced-ifs", "${IFS}touch${IFS}pwned");
        v.put("glob", "*");
        v.put("tilde", "~");
        v.put("hash", "# not a comment");
        v.put("bang", "!");
        v.put("history", "!!");
        v.put("arithmetic", "$((1+1))");
        v.put("delimiter", DELIMITER);
        v.put("delimiter-line", "a\n" + DELIMITER + "\ntouch pwned");
        v.put("tab-delimiter-line", "a\n\t" + DELIMITER + "\ntouch pwned");
        v.put("leading-tab", "\tx");
        v.put("leading-dash", "-n");
        v.put("dashes", "--help");
        v.put("assignment", "PATH=/nowhere");
        v.put("reserved-word", "if");
        v.put("spaces", "  two  spaces  ");
        v.put("tab", "a\tb");
        v.put("empty", "");
        v.put("braces", "{{ params.x }}");
        v.put("placeholder", "${env:HOME}");
        v.put("printf-format", "%s%n");
        v.put("non-ascii", "é 中 😀");
        v.put("long", ("$(touch pwned)'\"\\`;&|*\n").repeat(400));
        return v;
    }
}
