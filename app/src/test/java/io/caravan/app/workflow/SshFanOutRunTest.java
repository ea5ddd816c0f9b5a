package io.caravan.app.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import io.caravan.app.Main;
import io.caravan.app.fixtures.TempCaravanHome;
import io.caravan.core.engine.Json;
import io.caravan.testkit.OpenSshExtension;
import io.caravan.testkit.OpenSshServer;
import io.caravan.testkit.SshdLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import picocli.CommandLine;

/** Engine acceptance 1: a 300-item fan-out of ssh tasks at default sshd limits, through `caravan run`. */
class SshFanOutRunTest {
    @RegisterExtension
    static final OpenSshExtension SSHD = OpenSshExtension.defaults();

    @RegisterExtension
    final TempCaravanHome caravanHome = new TempCaravanHome();

    @Test
    void threeHundredSshTasksSucceedOnAtMostTwoHandshakesAndTheReportAgreesWithSshd() throws Exception {
        OpenSshServer server = SSHD.server();
        Path workflow = Files.writeString(caravanHome.home().resolve("fanout.yaml"), """
                workflow: ssh-fanout
                params: { shards: 300 }
                connections:
                  rig: { host: %s, port: %d, user: %s, identity: %s, known_hosts: %s }
                defaults: { target: rig }
                tasks:
                  shard:
                    expand: { range: "{{ params.shards }}" }
                    max_active: 100
                    ssh: echo shard-{{ item }}
                """.formatted(
                        server.host(), server.port(), server.user(), server.clientKey(), server.knownHosts()));
        Path report = caravanHome.home().resolve("report.json");
        SshdLog log = server.log().since(server.log().mark());

        StringWriter out = new StringWriter();
        CommandLine cli = Main.commandLineForTests(new PrintWriter(out), new PrintWriter(new StringWriter()));
        int exit = cli.execute("run", workflow.toString(), "--report", report.toString());

        assertThat(exit).as(out.toString()).isZero();
        @SuppressWarnings("unchecked")
        Map<String, Object> r = (Map<String, Object>) Json.read(Files.readString(report));
        assertThat(r).containsEntry("state", "succeeded").containsEntry("tasks", Map.of("succeeded", 300));
        @SuppressWarnings("unchecked")
        Map<String, Object> ssh =
                (Map<String, Object>) ((Map<String, Object>) r.get("ssh")).get(server.host() + ":" + server.port());
        assertThat(((Number) ssh.get("handshakes")).intValue()).isBetween(1, 2);
        assertThat(((Number) ssh.get("handshakes")).intValue()).isEqualTo(log.acceptedLogins());
        assertThat(((Number) ssh.get("channels_opened")).intValue()).isGreaterThanOrEqualTo(300);
        assertThat(log.maxStartupsDrops()).isZero();
    }
}
