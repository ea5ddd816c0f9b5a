package io.caravan.app.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SshEndpointTest {

    @Test
    void userAtHostWithAnOptionalPortAndAnIpv6HostInBrackets() {
        assertThat(SshEndpoint.parse("batch@gpu1")).isEqualTo(new SshEndpoint("batch", "gpu1", 22));
        assertThat(SshEndpoint.parse("batch@gpu1:2222")).isEqualTo(new SshEndpoint("batch", "gpu1", 2222));
        assertThat(SshEndpoint.parse("batch@[::1]:2222")).isEqualTo(new SshEndpoint("batch", "::1", 2222));
        assertThat(SshEndpoint.parse("batch@[::1]:2222").target().hostAndPort()).isEqualTo("[::1]:2222");
    }

    @Test
    void badInputNamesWhatIsWrong() {
        assertThatThrownBy(() -> SshEndpoint.parse("gpu1")).hasMessage("expected USER@HOST[:PORT], got 'gpu1'");
        assertThatThrownBy(() -> SshEndpoint.parse("a@b@c")).hasMessage("expected USER@HOST[:PORT], got 'a@b@c'");
        assertThatThrownBy(() -> SshEndpoint.parse("u@h:0")).hasMessageContaining("port must be 1..65535");
        assertThatThrownBy(() -> SshEndpoint.parse("u@[::1")).hasMessageContaining("expected [ADDRESS]");
    }
}
