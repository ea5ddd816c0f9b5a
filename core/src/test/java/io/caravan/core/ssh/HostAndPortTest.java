package io.caravan.core.ssh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class HostAndPortTest {

    @Test
    void aNameOrAnIpv4AddressIsWrittenAsHostColonPort() {
        assertThat(HostAndPort.format("gpu1.lab", 2222)).isEqualTo("gpu1.lab:2222");
        assertThat(new HostAndPort("127.0.0.1", 22)).hasToString("127.0.0.1:22");
    }

    @Test
    void anIpv6AddressGoesInBracketsSoThePortStaysReadable() {
        assertThat(HostAndPort.format("::1", 22)).isEqualTo("[::1]:22");
        assertThat(HostAndPort.format("[fe80::1]", 22)).isEqualTo("[fe80::1]:22");
        assertThat(new HostAndPort("[::1]", 22).host()).isEqualTo("::1");
    }

    @Test
    void parsingReadsWhatFormattingWrites() {
        for (String text : new String[] {"gpu1.lab:2222", "127.0.0.1:22", "[::1]:22", "[2001:db8::7]:65535"}) {
            assertThat(HostAndPort.parse(text, 22)).hasToString(text);
        }
        assertThat(HostAndPort.parse("[::1]:2222", 22)).isEqualTo(new HostAndPort("::1", 2222));
    }

    @Test
    void aMissingPortIsTheDefaultAndABareIpv6AddressIsTakenWhole() {
        assertThat(HostAndPort.parse("bastion", 22)).isEqualTo(new HostAndPort("bastion", 22));
        assertThat(HostAndPort.parse("[::1]", 2222)).isEqualTo(new HostAndPort("::1", 2222));
        assertThat(HostAndPort.parse("fe80::1", 22)).isEqualTo(new HostAndPort("fe80::1", 22));
    }

    @Test
    void badInputIsRefusedNamingTheTextAndWhatIsWrong() {
        assertThatThrownBy(() -> HostAndPort.parse("h:99999", 22))
                .hasMessageContaining("port must be 1..65535")
                .hasMessageContaining("'h:99999'");
        assertThatThrownBy(() -> HostAndPort.parse("h:ssh", 22)).hasMessageContaining("port must be a number");
        assertThatThrownBy(() -> HostAndPort.parse(":22", 22)).hasMessageContaining("host must not be empty");
        assertThatThrownBy(() -> HostAndPort.parse("[::1", 22)).hasMessageContaining("expected [ADDRESS]");
        assertThatThrownBy(() -> HostAndPort.parse("[::1]22", 22)).hasMessageContaining("expected [ADDRESS]");
        assertThatThrownBy(() -> HostAndPort.parse(" ", 22)).hasMessageContaining("expected HOST[:PORT]");
        assertThatThrownBy(() -> new HostAndPort("h", 0)).hasMessageContaining("port must be 1..65535, got 0");
        assertThatThrownBy(() -> new HostAndPort("a]b", 22)).hasMessageContaining("a name or an address");
    }
}
