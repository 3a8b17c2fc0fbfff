package dev.twoliter.engine.rpm;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SpecArchesTest {
    @Test
    void aSpecWithoutArchTagsBuildsForEveryArch() {
        SpecArches arches = SpecArches.of("Name: greet\nVersion: 1\n%description\nExclusiveArch: in text\n");
        assertThat(arches.noarch()).isFalse();
        assertThat(arches.builds("x86_64")).isTrue();
        assertThat(arches.builds("aarch64")).isTrue();
    }

    @Test
    void exclusiveAndExcludedArchesAreRead() {
        SpecArches kernel = SpecArches.of("Name: kernel\nExclusiveArch: x86_64\n");
        assertThat(kernel.builds("x86_64")).isTrue();
        assertThat(kernel.builds("aarch64")).isFalse();
        assertThat(kernel.describe()).isEqualTo("ExclusiveArch: x86_64");
        SpecArches both = SpecArches.of("Name: k\nexclusivearch: x86_64, aarch64\n");
        assertThat(both.builds("aarch64")).isTrue();
        SpecArches excluded = SpecArches.of("Name: k\nExcludeArch: aarch64\n");
        assertThat(excluded.builds("aarch64")).isFalse();
        assertThat(excluded.builds("x86_64")).isTrue();
        assertThat(excluded.describe()).isEqualTo("ExcludeArch: aarch64");
    }

    @Test
    void onlyTheMainPackagesNoarchMakesTheSpecNoarch() {
        assertThat(SpecArches.of("Name: motd\nBuildArch: noarch\n%description\nx\n").noarch()).isTrue();
        assertThat(SpecArches.of("Name: lib\n%package doc\nBuildArch: noarch\n").noarch()).isFalse();
    }

    @Test
    void valuesWithMacrosAreLeftToRpmbuild() {
        SpecArches arches = SpecArches.of("%global arches x86_64\nName: k\nExclusiveArch: %{arches}\n");
        assertThat(arches.builds("aarch64")).isTrue();
        assertThat(SpecArches.of("Name: k\nExcludeArch: %{arm}\n").builds("aarch64")).isTrue();
    }
}
