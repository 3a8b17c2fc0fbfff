package dev.twoliter.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class ArchTest {
    @Test
    void withoutARequestTheBuildTargetsTheMachinesArch() throws TwoliterException {
        assertThat(Arch.targetOrHost(null).rpmName()).isEqualTo(Arch.host());
        assertThat(Arch.targetOrHost(" ").rpmName()).isEqualTo(Arch.host());
        assertThat(Arch.targetOrHost("aarch64")).isEqualTo(Arch.AARCH64);
        assertThat(Arch.targetOrHost("x86_64")).isEqualTo(Arch.X86_64);
    }

    @Test
    void anUnknownArchNamesTheSupportedOnes() throws TwoliterException {
        assertThatThrownBy(() -> Arch.targetOrHost("riscv64")).hasMessageContaining("unsupported arch")
                .hasMessageContaining("x86_64 or aarch64");
        assertThatThrownBy(() -> Arch.targetOr(null, "s390x")).hasMessageContaining("this machine's arch 's390x'")
                .hasMessageContaining("set -Dtwoliter.arch to x86_64 or aarch64");
        assertThat(Arch.targetOr(null, "aarch64")).isEqualTo(Arch.AARCH64);
    }
}
