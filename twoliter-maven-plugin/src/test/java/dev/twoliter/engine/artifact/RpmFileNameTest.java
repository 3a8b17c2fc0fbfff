package dev.twoliter.engine.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RpmFileNameTest {
    @Test
    void theArchIsTheLastDottedPartBeforeRpm() {
        assertThat(RpmFileName.arch("greet-1.0-1.x86_64.rpm")).contains("x86_64");
        assertThat(RpmFileName.arch("greet-doc-1.0-1.noarch.rpm")).contains("noarch");
        assertThat(RpmFileName.arch("greet.rpm")).isEqualTo(Optional.empty());
        assertThat(RpmFileName.arch(".x86_64.rpm")).isEqualTo(Optional.empty());
        assertThat(RpmFileName.arch("greet-1.0-1..rpm")).isEqualTo(Optional.empty());
        assertThat(RpmFileName.arch("twoliter-sources.toml")).isEqualTo(Optional.empty());
    }

    @Test
    void aBuildUsesItsOwnArchsAndNoarchRpms() {
        assertThat(RpmFileName.isFor("greet-1.0-1.aarch64.rpm", "aarch64")).isTrue();
        assertThat(RpmFileName.isFor("greet-1.0-1.noarch.rpm", "aarch64")).isTrue();
        assertThat(RpmFileName.isFor("greet-1.0-1.x86_64.rpm", "aarch64")).isFalse();
        assertThat(RpmFileName.isFor("greet", "aarch64")).isFalse();
    }
}
