package io.caravan.spi.plugin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SemanticVersionTest {

    @Test
    void versionsAreOrderedByNumberNotByText() {
        assertThat(SemanticVersion.parse("1.10.0")).isGreaterThan(SemanticVersion.parse("1.9.3"));
        assertThat(SemanticVersion.parse("2.0.0-rc.1")).isLessThan(SemanticVersion.parse("2.0.0"));
        assertThat(SemanticVersion.parse("2.0.0-rc.2")).isLessThan(SemanticVersion.parse("2.0.0-rc.10"));
        assertThat(SemanticVersion.parse("1.2")).isEqualByComparingTo(SemanticVersion.parse("1.2.0"));
    }

    @Test
    void anApiProvidesOlderMinorsOfItsOwnMajorOnly() {
        SemanticVersion host = SemanticVersion.parse("1.4.2");
        assertThat(host.provides(SemanticVersion.parse("1.0.0"))).isTrue();
        assertThat(host.provides(SemanticVersion.parse("1.4.9"))).isTrue();
        assertThat(host.provides(SemanticVersion.parse("1.5.0"))).isFalse();
        assertThat(host.provides(SemanticVersion.parse("2.0.0"))).isFalse();
        assertThat(host.provides(SemanticVersion.parse("0.9.0"))).isFalse();
    }

    @Test
    void garbageIsRefusedWithTheText() {
        assertThatThrownBy(() -> SemanticVersion.parse("one")).hasMessageContaining("'one'");
    }
}
