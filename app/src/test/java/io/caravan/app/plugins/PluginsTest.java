package io.caravan.app.plugins;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.cfg.PackageVersion;
import io.caravan.app.fixtures.CaravanRuns;
import io.caravan.app.session.DatabaseOptions;
import io.caravan.app.session.EngineSession;
import io.caravan.core.runs.TaskState;
import io.caravan.core.storage.TaskInstance;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plugin acceptance 2, 3 and 4, with the bundled local plugin and the hello-plugin template. */
class PluginsTest {
    private static final Path TEMPLATE = Path.of("target", "test-plugins", "hello-plugin.jar");

    @TempDir
    Path home;

    private Path plugins;

    @BeforeEach
    void setUp() throws Exception {
        System.setProperty("caravan.home", home.toString());
        plugins = Files.createDirectories(home.resolve("plugins"));
        Files.copy(TEMPLATE, plugins.resolve("hello-plugin.jar"));
        futurePluginJar(plugins.resolve("future-plugin.jar"));
    }

    @AfterEach
    void clear() {
        System.clearProperty("caravan.home");
        System.clearProperty("caravan.plugins");
    }

    @Test
    void anIncompatiblePluginIsRefusedByNameAndVersionAndTheOthersLoad() {
        CaravanRuns.Result r = CaravanRuns.cli("plugins", "--plugins", plugins.toString());

        assertThat(r.exit()).isZero();
        assertThat(r.out())
                .contains(
                        "refused: plugin 'future' 3.1.0 needs plugin API 2.0.0; this Caravan provides plugin API 1.3.0")
                .containsPattern("hello +1\\.0\\.0 .*task types: hello; Camel components: hello")
                .containsPattern("local +0\\.1\\.0 .*task types: local_job \\(jobs\\)");
    }

    @Test
    void pluginTaskTypesRunInAWorkflowAndTheTemplatesOwnJacksonStaysItsOwn() throws Exception {
        Path base = Files.createDirectories(home.resolve("local-jobs"));
        CaravanRuns.Result r = new CaravanRuns(home).run("mixed", """
                workflow: mixed
                tasks:
                  greet:
                    hello: { name: "{{ run.workflow }}" }
                  local:
                    depends_on: [greet]
                    expand: { range: 3 }
                    local_job:
                      script: |
                        echo "item $ITEM"
                        echo '{"square": '$((ITEM * ITEM))'}' > "$CARAVAN_OUTPUTS"
                        exit $((ITEM == 2))
                      workdir_base: %s
                      poll_interval: 200ms
                """.formatted(base));

        assertThat(r.exit()).as(r.out()).isEqualTo(1);
        TaskInstance greet = new CaravanRuns(home).instance(r.runId(), "greet", 0);
        assertThat(greet.outputJson()).contains("hello, mixed").contains("jackson 2.17.2");
        assertThat(PackageVersion.VERSION.toString())
                .as("the host's own Jackson, untouched")
                .isNotEqualTo("2.17.2");
        for (int item = 0; item < 3; item++) {
            TaskInstance local = new CaravanRuns(home).instance(r.runId(), "local", item);
            assertThat(CaravanRuns.log(local)).isEqualTo("item " + item + "\n");
            assertThat(local.state()).isEqualTo(item == 2 ? TaskState.FAILED : TaskState.SUCCEEDED);
            if (item < 2) {
                assertThat(local.outputJson()).isEqualTo("{\"square\":" + item * item + "}");
            }
        }
        try (Stream<Path> left = Files.list(base)) {
            assertThat(left.filter(Files::isDirectory)
                            .map(p -> p.getFileName().toString())
                            .toList())
                    .as("only the failed local job keeps its directory")
                    .singleElement()
                    .asString()
                    .endsWith(".local.2.1");
        }
    }

    @Test
    void aPluginsCamelComponentResolvesInAUsersYamlRoute() throws Exception {
        Path route = Files.writeString(home.resolve("greet.camel.yaml"), """
                - route:
                    from:
                      uri: direct:greet
                      steps:
                        - to: "hello:greeter"
                """);
        try (EngineSession session = new EngineSession(home, new DatabaseOptions())) {
            PluginHelper.getRoutesLoader(session.camel())
                    .loadRoutes(ResourceHelper.resolveResource(session.camel(), "file:" + route));
            session.startCamel();
            try (ProducerTemplate template = session.camel().createProducerTemplate()) {
                assertThat(template.requestBody("direct:greet", "route", String.class))
                        .isEqualTo("{\"greeting\":\"hello, route\"} (jackson 2.17.2)");
            }
        }
    }

    private static void futurePluginJar(Path jar) throws Exception {
        String classFile = FuturePlugin.class.getName().replace('.', '/') + ".class";
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar));
                var in = FuturePlugin.class.getClassLoader().getResourceAsStream(classFile)) {
            out.putNextEntry(new JarEntry(classFile));
            in.transferTo(out);
            out.putNextEntry(new JarEntry("META-INF/services/io.caravan.spi.plugin.CaravanPlugin"));
            ((OutputStream) out).write((FuturePlugin.class.getName() + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }
}
