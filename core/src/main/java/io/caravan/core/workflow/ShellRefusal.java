package io.caravan.core.workflow;

/**
 * Why a {@code {{ }}} cannot stand where it does in shell text, and what to write instead: a message with
 * {@code %1$s} for the reference as written ({@code {{ params.x }}}).
 */
record ShellRefusal(String message) {
    private static final String VARIABLE =
            "set a variable first (v=%1$s), or pass the value through env:, and use \"$v\"";

    static final ShellRefusal BACKQUOTES = new ShellRefusal(
            "%1$s stands inside backquotes, where no quoting keeps a value from running: write $(…) instead of `…`");
    static final ShellRefusal COMMENT = new ShellRefusal(
            "%1$s stands in a shell comment, which a newline in the value would end: take it out of the comment");
    static final ShellRefusal ANSI_C = new ShellRefusal(
            "%1$s stands inside $'…', where the shell reads backslashes in the value as escapes: use '…' or \"…\"");
    static final ShellRefusal LOCALE = new ShellRefusal("%1$s stands inside $\"…\", which bash translates: use \"…\"");
    static final ShellRefusal ARITHMETIC = new ShellRefusal(
            "%1$s stands in an arithmetic expression, where bash runs commands found in a value: set a variable first "
                    + "(n=%1$s), check that it is a number (case $n in ''|*[!0-9]*) exit 2;; esac) and use $((n))");
    static final ShellRefusal PARAMETER =
            new ShellRefusal("%1$s stands inside ${…}, where shells differ in how they read quotes: " + VARIABLE);
    static final ShellRefusal AFTER_DOLLAR = new ShellRefusal(
            "%1$s stands right after '$', which would read the value's first characters as a parameter name: "
                    + "remove the '$', or " + VARIABLE);
    static final ShellRefusal AFTER_BACKSLASH = new ShellRefusal(
            "%1$s stands right after a backslash, which would escape the value's first character: remove the backslash");
    static final ShellRefusal DELIMITER =
            new ShellRefusal("%1$s stands in a here-document's delimiter: write the delimiter literally");

    /** Inside a construct that the text never closes. */
    static ShellRefusal unclosed(String construct) {
        return new ShellRefusal(
                "%1$s stands inside " + construct.replace("%", "%%") + " that the text never closes: close it");
    }

    /** After a construct that sh and bash may read differently: where the shell is, Caravan cannot tell. */
    static ShellRefusal lost(String construct) {
        return new ShellRefusal("%1$s stands after " + construct.replace("%", "%%")
                + ", which sh and bash may read differently, so its quoting cannot be known: " + VARIABLE);
    }

    /** After more nesting than the lexer reads. */
    static ShellRefusal tooDeep(int levels) {
        return new ShellRefusal("%1$s stands after quotes and expansions nested more than " + levels
                + " deep, past which Caravan does not read, so its quoting cannot be known: " + VARIABLE);
    }

    String format(String reference) {
        return message.formatted(reference);
    }
}
