package io.caravan.routes.sshx;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.stream.IntStream;

import io.caravan.testkit.OpenSshExtension;
import io.caravan.testkit.OpenSshServer;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The YAML route example in examples/routes runs as documented, against real OpenSSH. */
class SshxYamlExampleOpenSshTest {
    private static final Path EXAMPLE = Path.of("..", "examples", "routes", "sshx-fanout.camel.yaml");

    @RegisterExtension
    static final OpenSshExtension SSHD = OpenSshExtension.defaults();

    @Test
    void theFanOutExampleRunsEveryShardOverOnePooledConnection() throws Exception {
        OpenSshServer server = SSHD.server();
        int logins = server.log().acceptedLogins();
        try (CamelContext camel = new DefaultCamelContext()) {
            Properties props = new Properties();
            props.put("ssh.user", server.user());
            props.put("ssh.host", server.host());
            props.put("ssh.port", String.valueOf(server.port()));
            props.put("ssh.key", server.clientKey().toString());
            props.put("ssh.knownHosts", server.knownHosts().toString());
            camel.getPropertiesComponent().setInitialProperties(props);
            PluginHelper.getRoutesLoader(camel)
                    .loadRoutes(ResourceHelper.resolveResource(
                            camel, "file:" + EXAMPLE.toAbsolutePath().normalize()));
            camel.start();
            try (ProducerTemplate template = camel.createProducerTemplate()) {
                List<Integer> shards = IntStream.range(0, 40).boxed().toList();
                List<?> lines = template.requestBody("direct:fanout", shards, List.class);

                assertThat(lines).hasSize(40);
                for (int i = 0; i < 40; i++) {
                    assertThat(lines.get(i).toString()).startsWith("shard-" + i + " on ");
                }
            }
        }
        assertThat(server.log().acceptedLogins() - logins).isBetween(1, 2);
    }
}
