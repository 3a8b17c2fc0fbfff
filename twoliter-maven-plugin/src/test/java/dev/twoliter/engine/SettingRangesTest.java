package dev.twoliter.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SettingRangesTest {
    @Test
    void valuesInsideTheRangePass() throws Exception {
        assertThat(SettingRanges.minutes(60, 1, 1440, "twoliter.buildTimeoutMinutes")).isEqualTo(Duration.ofHours(1));
        assertThat(SettingRanges.seconds(1, 1, 10, "s")).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void valuesOutsideNameTheSettingAndTheRange() {
        assertThatThrownBy(() -> SettingRanges.minutes(-5, 1, 1440, "twoliter.buildTimeoutMinutes"))
                .hasMessage("twoliter.buildTimeoutMinutes is -5; use a value from 1 to 1440.");
        assertThatThrownBy(() -> SettingRanges.within(Long.MAX_VALUE, 1, 10, "x"))
                .hasMessageContaining("x is 9223372036854775807");
    }
}
