package io.caravan.routes.remotejob;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import io.caravan.testkit.OpenSshExtension;
import io.caravan.testkit.OpenSshServer;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** remote-job: from a user's YAML route (the example in examples/routes), against real OpenSSH. */
class RemoteJobYamlExampleOpenSshTest {
    private static final Path EXAMPLE = Path.of("..", "examples", "routes", "remote-job-fanout.camel.yaml");

    @RegisterExtension
    static final OpenSshExtension SSHD = OpenSshExtension.defaults();

    private CamelContext camel(Path base) throws Exception {
        OpenSshServer server = SSHD.server();
        CamelContext camel = new DefaultCamelContext();
        Properties props = new Properties();
        props.put("ssh.user", server.user());
        props.put("ssh.host", server.host());
        props.put("ssh.port", String.valueOf(server.port()));
        props.put("ssh.key", server.clientKey().toString());
        props.put("ssh.knownHosts", server.knownHosts().toString());
        props.put("jobs.base", base.toString());
        camel.getPropertiesComponent().setInitialProperties(props);
        PluginHelper.getRoutesLoader(camel)
                .loadRoutes(ResourceHelper.resolveResource(
                        camel, "file:" + EXAMPLE.toAbsolutePath().normalize()));
        camel.start();
        return camel;
    }

    @Test
    void theExampleRunsShardsAsDetachedJobsAndRepliesWithTheirLogs() throws Exception {
        OpenSshServer server = SSHD.server();
        Path base = Files.createDirectories(server.workDir().resolve("route-jobs"));
        int logins = server.log().acceptedLogins();
        try (CamelContext camel = camel(base);
                ProducerTemplate template = camel.createProducerTemplate()) {
            List<?> logs = template.requestBody(
                    "direct:remote-fanout", IntStream.range(0, 30).boxed().toList(), List.class);

            assertThat(logs).hasSize(30);
            for (int i = 0; i < 30; i++) {
                assertThat(logs.get(i)).isEqualTo("shard-" + i + " started\nshard-" + i + " done\n");
            }
        }
        assertThat(server.log().acceptedLogins() - logins).isBetween(1, 2);
        try (Stream<Path> left = Files.list(base)) {
            assertThat(left.filter(Files::isDirectory).toList())
                    .as("directories of succeeded jobs")
                    .isEmpty();
        }
    }

    @Test
    void aFailingJobFailsTheExchangeWithItsExitCode() throws Exception {
        Path base = Files.createDirectories(SSHD.server().workDir().resolve("route-fail"));
        try (CamelContext camel = camel(base);
                ProducerTemplate template = camel.createProducerTemplate()) {
            Assertions.assertThatThrownBy(() -> template.requestBody(
                            "remote-job:" + SSHD.server().user() + "@"
                                    + SSHD.server().host() + ":" + SSHD.server().port()
                                    + "?certResource=file:" + SSHD.server().clientKey() + "&knownHostsResource=file:"
                                    + SSHD.server().knownHosts() + "&workdirBase=" + base + "&pollInterval=200ms",
                            "echo failing; exit 3"))
                    .isInstanceOf(CamelExecutionException.class)
                    .hasStackTraceContaining("exit code 3");
        }
    }
}
