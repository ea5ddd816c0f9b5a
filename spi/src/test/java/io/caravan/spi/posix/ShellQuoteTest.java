package io.caravan.spi.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ShellQuoteTest {

    /** The quoted word, given to a real /bin/sh, comes back as the same single argument. */
    @ParameterizedTest
    @ValueSource(
            strings = {
                "plain",
                "x; rm -rf /",
                "it's",
                "a b",
                "$(id)",
                "`id`",
                "\"q\"",
                "",
                "*",
                "new\nline",
                "ünïcödé",
                "--flag",
                "'; echo pwned; '"
            })
    void aQuotedValueIsOneHarmlessWordToARealShell(String value) throws Exception {
        assertThat(echoThroughShell(ShellQuote.quote(value))).isEqualTo(value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"PATH", "_X", "a1"})
    void validEnvironmentNamesPass(String name) {
        assertThat(ShellQuote.envName(name)).isEqualTo(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1A", "A-B", "A B", "A;B", ""})
    void invalidEnvironmentNamesAreRefused(String name) {
        assertThatThrownBy(() -> ShellQuote.envName(name)).hasMessageContaining("invalid environment variable name");
    }

    private static String echoThroughShell(String word) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("/bin/sh", "-c", "printf '%s' " + word).start();
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(5, TimeUnit.SECONDS)).isTrue();
        return new String(out, StandardCharsets.UTF_8);
    }
}
