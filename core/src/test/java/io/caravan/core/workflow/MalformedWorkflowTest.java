package io.caravan.core.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every malformed-input case of the engine issue, one small file each under workflows/bad/. Each file's
 * first line says the error it must produce: {@code # expect: LINE:COLUMN: message}.
 */
class MalformedWorkflowTest {
    private static final Path DIR = Path.of("src/test/resources/workflows/bad");
    private static final Pattern EXPECT = Pattern.compile("# expect: (\\d+):(\\d+): (.*)");

    static Stream<Path> badFiles() throws IOException {
        return Files.list(DIR).filter(p -> p.toString().endsWith(".yaml")).sorted();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void isRejectedWithItsLineColumnAndMessage(Path file) throws IOException {
        Matcher expect = EXPECT.matcher(Files.readAllLines(file).get(0));
        assertThat(expect.matches())
                .as("first line of %s says '# expect: LINE:COLUMN: message'", file)
                .isTrue();

        InvalidWorkflowException invalid = catchThrowableOfType(
                InvalidWorkflowException.class, () -> new WorkflowLoader(TaskKinds.builtIn()).load(file));

        assertThat(invalid).as("%s must be rejected", file).isNotNull();
        assertThat(invalid.errors()).as(invalid.getMessage()).anySatisfy(e -> {
            assertThat(e.file()).isEqualTo(file);
            assertThat(e.line() + ":" + e.column()).isEqualTo(expect.group(1) + ":" + expect.group(2));
            assertThat(e.message()).contains(expect.group(3));
        });
        assertThat(invalid.errors().get(0).toString()).startsWith(file + ":");
    }
}
