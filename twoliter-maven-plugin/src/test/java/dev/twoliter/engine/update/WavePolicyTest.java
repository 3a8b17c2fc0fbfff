package dev.twoliter.engine.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.TwoliterException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WavePolicyTest {
    private static final Instant PUBLISHED = Instant.parse("2026-12-01T10:00:00.750Z");

    @Test
    void seedsAreSharesOf2048AndStartTimesFollowPublication() throws TwoliterException {
        WavePolicy policy = WavePolicy.of(List.of(new UpdateWave(Duration.ofHours(1), 1),
                new UpdateWave(Duration.ofHours(4), 25), new UpdateWave(Duration.ofDays(1), 100)), "updateWaves");
        assertThat(policy.seeds(PUBLISHED)).containsExactly(
                Map.entry(20, Instant.parse("2026-12-01T11:00:00Z")),
                Map.entry(512, Instant.parse("2026-12-01T14:00:00Z")),
                Map.entry(2048, Instant.parse("2026-12-02T10:00:00Z")));
        assertThat(WavePolicy.immediate().seeds(PUBLISHED)).isEmpty();
    }

    @Test
    void refusesWavesThatDoNotGrowOrDoNotReachTheWholeFleet() {
        assertThatThrownBy(() -> WavePolicy.of(List.of(new UpdateWave(Duration.ofHours(2), 10),
                new UpdateWave(Duration.ofHours(1), 100)), "updateWaves"))
                .hasMessageContaining("updateWaves wave 2").hasMessageContaining("must start later");
        assertThatThrownBy(() -> WavePolicy.of(List.of(new UpdateWave(Duration.ofHours(1), 50)), "updateWaves"))
                .hasMessageContaining("ends at 50%");
        assertThatThrownBy(() -> WavePolicy.of(List.of(new UpdateWave(Duration.ofHours(1), 101)), "updateWaves"))
                .hasMessageContaining("101%");
        assertThatThrownBy(() -> WavePolicy.of(List.of(new UpdateWave(Duration.ofHours(-1), 100)), "updateWaves"))
                .hasMessageContaining("from 0 to 366 days");
    }

    @Test
    void durationsAsPeopleWriteThem() {
        assertThat(HumanDuration.parse("4 hours")).contains(Duration.ofHours(4));
        assertThat(HumanDuration.parse("1 week")).contains(Duration.ofDays(7));
        assertThat(HumanDuration.parse("P14D")).contains(Duration.ofDays(14));
        assertThat(HumanDuration.parse("pt90m")).contains(Duration.ofMinutes(90));
        assertThat(HumanDuration.parse("soon")).isEmpty();
        assertThat(HumanDuration.parse("4 fortnights")).isEmpty();
    }
}
