package dev.twoliter.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ArchesTest {
    private static final String SETTING = "twoliter.arches";

    @Test
    void withoutAListTheBuildHasTheMachinesArchOnly() throws TwoliterException {
        assertThat(Arches.select(null, null, SETTING, "aarch64")).isEqualTo(Arches.of(Arch.AARCH64));
        assertThat(Arches.select(" ", "", SETTING, "x86_64")).isEqualTo(Arches.of(Arch.X86_64));
    }

    @Test
    void aListIsBuiltInArchOrderWithTheMachinesArchFirstAmongEquals() throws TwoliterException {
        Arches both = Arches.select(" aarch64, x86_64 ", null, SETTING, "aarch64");
        assertThat(both.all()).containsExactly(Arch.X86_64, Arch.AARCH64);
        assertThat(both.primary()).isEqualTo(Arch.AARCH64);
        assertThat(both.several()).isTrue();
        assertThat(Arches.select("aarch64 x86_64", null, SETTING, "x86_64").primary()).isEqualTo(Arch.X86_64);
        // A machine whose arch the project does not build for: the first listed one.
        assertThat(Arches.select("aarch64", null, SETTING, "x86_64")).isEqualTo(Arches.of(Arch.AARCH64));
    }

    @Test
    void oneArchNarrowsTheBuildToIt() throws TwoliterException {
        Arches narrowed = Arches.select("aarch64,x86_64", "aarch64", SETTING, "x86_64");
        assertThat(narrowed.all()).containsExactly(Arch.AARCH64);
        assertThat(narrowed.primary()).isEqualTo(Arch.AARCH64);
        assertThat(narrowed.several()).isFalse();
        // Outputs keep the names of the full list's build.
        assertThat(narrowed.declared()).containsExactly(Arch.X86_64, Arch.AARCH64);
        assertThat(narrowed.severalDeclared()).isTrue();
        assertThat(Arches.select(null, "aarch64", SETTING, "x86_64")).isEqualTo(Arches.of(Arch.AARCH64));
        assertThat(Arches.of(Arch.AARCH64).severalDeclared()).isFalse();
    }

    @Test
    void badListsAndArchesOutsideTheListAreRefusedNamingTheSetting() {
        assertThatThrownBy(() -> Arches.select("x86_64", "aarch64", SETTING, "x86_64"))
                .hasMessage("the arch aarch64 is not among the project's arches x86_64 (twoliter.arches); add it"
                        + " there or ask for one of those");
        assertThatThrownBy(() -> Arches.select("x86_64,riscv64", null, SETTING, "x86_64"))
                .hasMessage("twoliter.arches lists unsupported arch 'riscv64' (use x86_64 or aarch64)");
        assertThatThrownBy(() -> Arches.select(",x86_64", null, SETTING, "x86_64"))
                .hasMessageContaining("twoliter.arches lists unsupported arch ''");
        assertThatThrownBy(() -> Arches.select("x86_64 x86_64", null, SETTING, "x86_64"))
                .hasMessage("twoliter.arches lists x86_64 twice");
        assertThatThrownBy(() -> Arches.select("x86_64,".repeat(100), null, SETTING, "x86_64"))
                .hasMessageContaining("longer than 256 characters");
        assertThatThrownBy(() -> new Arches(List.of(Arch.X86_64), Arch.AARCH64))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
