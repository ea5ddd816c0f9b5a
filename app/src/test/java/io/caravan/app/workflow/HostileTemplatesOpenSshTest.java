package io.caravan.app.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import io.caravan.app.fixtures.CaravanRuns;
import io.caravan.app.fixtures.TempCaravanHome;
import io.caravan.app.fixtures.TemplateCorpus;
import io.caravan.testkit.OpenSshExtension;
import io.caravan.testkit.OpenSshServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Security acceptance 2: every hostile value through every quoting context of {@code shell:}, {@code ssh:} and
 * {@code remote_job:} (script and env), one {@code caravan run} each, against a real sshd: the commands receive
 * exactly the values, or the attempt is refused, and nothing runs (see {@link TemplateCorpus}).
 */
class HostileTemplatesOpenSshTest {
    @RegisterExtension
    static final OpenSshExtension SSHD = OpenSshExtension.defaults();

    @RegisterExtension
    final TempCaravanHome caravanHome = new TempCaravanHome();

    @TempDir
    Path out;

    private CaravanRuns.Result run(String type, TemplateCorpus corpus, String tasks) throws Exception {
        OpenSshServer server = SSHD.server();
        return new CaravanRuns(caravanHome.home())
                .run(
                        type,
                        """
                workflow: hostile-%s
                %s
                connections:
                %s
                defaults: { target: rig }
                tasks:
                %s
                """.formatted(type, corpus.params(), CaravanRuns.connection("rig", server), tasks.indent(2)),
                        corpus.sets());
    }

    @ParameterizedTest
    @ValueSource(strings = {"shell", "ssh"})
    void commandsReceiveExactlyTheValues(String type) throws Exception {
        TemplateCorpus corpus = new TemplateCorpus(out);
        CaravanRuns.Result r =
                run(type, corpus, corpus.tasks((script, fanOut) -> type + ": |\n" + script.indent(2), false));

        assertThat(r.exit()).as(r.out()).isEqualTo(1);
        corpus.verify(new CaravanRuns(caravanHome.home()), r, false);
    }

    @Test
    void remoteJobsReceiveExactlyTheValuesInTheirScriptAndEnvironment() throws Exception {
        TemplateCorpus corpus = new TemplateCorpus(out);
        Path base = Files.createDirectories(out.resolve("jobs"));
        CaravanRuns.Result r = run(
                "remote",
                corpus,
                corpus.tasks(
                        (script, fanOut) -> "remote_job:\n"
                                + ("""
                workdir_base: %s
                cleanup: never
                poll_interval: 300ms
                """.formatted(base) + (fanOut ? "env: { V: \"{{ item.v }}\" }\n" : "")
                                                + "script: |\n" + script.indent(2))
                                        .indent(2),
                        true));

        assertThat(r.exit()).as(r.out()).isEqualTo(1);
        corpus.verify(new CaravanRuns(caravanHome.home()), r, true);
    }
}
