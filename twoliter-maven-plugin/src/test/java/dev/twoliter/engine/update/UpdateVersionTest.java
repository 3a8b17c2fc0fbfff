package dev.twoliter.engine.update;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class UpdateVersionTest {
    @Test
    void ordersAsSemanticVersioningDoes() {
        List<String> ascending = List.of("1.0.0-alpha", "1.0.0-alpha.1", "1.0.0-alpha.beta", "1.0.0-beta",
                "1.0.0-beta.2", "1.0.0-beta.11", "1.0.0-rc.1", "1.0.0", "1.0.1", "1.1.0", "1.10.0", "2.0.0");
        for (int i = 1; i < ascending.size(); i++) {
            UpdateVersion lower = UpdateVersion.parse(ascending.get(i - 1)).orElseThrow();
            UpdateVersion higher = UpdateVersion.parse(ascending.get(i)).orElseThrow();
            assertThat(lower).as(ascending.get(i - 1) + " < " + ascending.get(i)).isLessThan(higher);
            assertThat(higher.toString()).isEqualTo(ascending.get(i));
        }
    }

    @Test
    void refusesWhatClientsCannotOrder() {
        for (String bad : new String[] {"1.0", "1.0.0.0", "01.0.0", "1.0.0-", "1.0.0+build", "1.0.0-01", "v1.0.0",
                "1.0.0-a..b", "1.0.0\n", "", "9999999999.0.0"}) {
            assertThat(UpdateVersion.parse(bad)).as(bad).isEmpty();
        }
        assertThat(UpdateVersion.parse(null)).isEmpty();
        assertThat(UpdateVersion.parse("1.0.0-SNAPSHOT")).isPresent();
    }
}
