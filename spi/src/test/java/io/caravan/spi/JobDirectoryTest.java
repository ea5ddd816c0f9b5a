package io.caravan.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JobDirectoryTest {

    @Test
    void aBaseIsRelativeOrAbsoluteButNeverEmptyNorClimbing() {
        assertThat(JobDirectory.checkBase(".caravan/jobs")).isEqualTo(".caravan/jobs");
        assertThat(JobDirectory.checkBase("/scratch/caravan")).isEqualTo("/scratch/caravan");
        for (String bad : new String[] {null, "", "  ", "..", "../up", "a/../b", "/scratch/..", "a..b"}) {
            assertThatThrownBy(() -> JobDirectory.checkBase(bad))
                    .as(bad)
                    .hasMessage("job base directory must be a path without '..': " + bad);
        }
    }

    @Test
    void anIdIsOneDirectoryNameOfSafeCharacters() {
        assertThat(JobDirectory.checkId("run-1.fan.7_2")).isEqualTo("run-1.fan.7_2");
        for (String bad : new String[] {null, "", ".", "..", "a/b", "a b", "$(x)", "x".repeat(201)}) {
            assertThatThrownBy(() -> JobDirectory.checkId(bad))
                    .as(bad)
                    .hasMessage("invalid job id '" + bad + "': use 1-200 of [A-Za-z0-9._-]");
        }
    }

    @Test
    void theDirectoryIsTheIdUnderTheBase() {
        assertThat(JobDirectory.path(".caravan/jobs", "j1")).isEqualTo(".caravan/jobs/j1");
        assertThat(JobDirectory.climbs("~/../../etc")).isTrue();
        assertThat(JobDirectory.climbs("~/jobs")).isFalse();
    }
}
