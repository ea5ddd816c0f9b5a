package io.caravan.core.workflow;

import java.util.function.UnaryOperator;

import io.caravan.spi.posix.ShellQuote;

/** Where a {@code {{ }}} stands in shell text, and so how its value is written there. */
enum ShellPlace {
    /** An unquoted word, alone or next to other text: the value becomes one quoted word. */
    BARE(ShellQuote::quote),
    DOUBLE_QUOTED(ShellQuote::inDoubleQuotes),
    SINGLE_QUOTED(ShellQuote::inSingleQuotes),
    /** The body of a here-document whose delimiter is unquoted: the shell expands $ and backquotes there. */
    HERE_DOCUMENT(ShellQuote::inHereDocument),
    /** The body of a here-document whose delimiter is quoted: taken literally. */
    LITERAL_HERE_DOCUMENT(ShellQuote::carriable),
    /** {@code | raw}: the author asked for the text as it is. */
    RAW(UnaryOperator.identity());

    private final UnaryOperator<String> writer;

    ShellPlace(UnaryOperator<String> writer) {
        this.writer = writer;
    }

    String write(String value) {
        return writer.apply(value);
    }
}
