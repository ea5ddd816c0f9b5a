package io.caravan.app.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;

import org.apache.camel.support.jsse.SSLContextParameters;
import org.junit.jupiter.api.Test;

/** Which Host names a server answers to, and what it says at start about where it listens. */
class AllowedHostsTest {
    private static final WebServer.Tls TLS = new WebServer.Tls(Path.of("server.p12"), new SSLContextParameters());

    @Test
    void onLoopbackTheLoopbackNamesWithTheBoundPortAndTheAllowedNamesWithAnyPort() {
        AllowedHosts hosts =
                AllowedHosts.of(new WebServer.Settings("127.0.0.1", 8080, List.of("Caravan.Example"), null));

        assertThat(hosts.allows("127.0.0.1", 8080)).isTrue();
        assertThat(hosts.allows("localhost", 8080)).isTrue();
        assertThat(hosts.allows("[::1]", 8080)).isTrue();
        assertThat(hosts.allows("[0:0:0:0:0:0:0:1]", 8080))
                .as("another spelling of ::1")
                .isTrue();
        assertThat(hosts.allows("LOCALHOST.", 8080)).isTrue();
        assertThat(hosts.allows("caravan.example", 443)).isTrue();
        assertThat(hosts.allows("caravan.example", -1)).isTrue();
        assertThat(hosts.allows("127.0.0.1", 8081)).isFalse();
        assertThat(hosts.allows("127.0.0.1", -1)).as("no port names port 80").isFalse();
        assertThat(hosts.allows("evil.example", 8080)).isFalse();
        assertThat(hosts.allows("caravan.example.evil.example", 8080)).isFalse();
        assertThat(hosts.allows("127.0.0.1.evil.example", 8080)).isFalse();
        assertThat(hosts.allows("", 8080)).isFalse();
        assertThat(hosts.allows(null, 8080)).isFalse();
    }

    @Test
    void withoutAPortTheSchemesOwnIsMeant() {
        assertThat(AllowedHosts.of(new WebServer.Settings("127.0.0.1", 443, List.of(), TLS))
                        .allows("localhost", -1))
                .isTrue();
        assertThat(AllowedHosts.of(new WebServer.Settings("127.0.0.1", 80, List.of(), null))
                        .allows("localhost", -1))
                .isTrue();
        assertThat(AllowedHosts.of(new WebServer.Settings("127.0.0.1", 443, List.of(), null))
                        .allows("localhost", -1))
                .isFalse();
    }

    @Test
    void boundToEveryAddressItAnswersToThisMachinesAddressesButNotToANameItWasNotGiven() {
        AllowedHosts hosts = AllowedHosts.of(new WebServer.Settings("0.0.0.0", 8080));

        assertThat(hosts.allows("127.0.0.1", 8080)).isTrue();
        assertThat(hosts.allows("localhost", 8080)).isTrue();
        assertThat(hosts.allows("evil.example", 8080)).isFalse();
        assertThat(hosts.allows("0.0.0.0", 8080)).isTrue();
    }

    @Test
    void listeningBeyondThisMachineWithoutTlsSaysTheTokenTravelsInClearTextAndHowToEnableTls() {
        assertThat(new WebServer.Settings("127.0.0.1", 8080).notices())
                .as("on loopback: nothing to add")
                .isEmpty();
        assertThat(new WebServer.Settings("localhost", 8080).notices()).isEmpty();

        List<String> plain = new WebServer.Settings("0.0.0.0", 8080, List.of("caravan.example"), null).notices();
        assertThat(plain.get(0))
                .startsWith("WARNING")
                .contains("clear text")
                .contains("--tls-keystore FILE.p12")
                .contains("CARAVAN_TLS_PASSWORD");
        assertThat(plain.get(1)).contains("caravan.example").contains("--allowed-host NAME");

        WebServer.Settings https = new WebServer.Settings("0.0.0.0", 8443, List.of(), TLS);
        assertThat(https.notices()).noneMatch(line -> line.contains("WARNING"));
        assertThat(https.url()).isEqualTo("https://0.0.0.0:8443/");
    }
}
