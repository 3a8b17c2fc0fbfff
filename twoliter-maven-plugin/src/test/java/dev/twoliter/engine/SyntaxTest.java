package dev.twoliter.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SyntaxTest {
    @Test
    void digestsAreLowercaseHexOfTheirLength() {
        assertThat(Syntax.isSha256("a".repeat(64))).isTrue();
        assertThat(Syntax.isSha256("A".repeat(64))).isFalse();
        assertThat(Syntax.isSha256("../../../../tmp")).isFalse();
        assertThat(Syntax.isSha256("a".repeat(63))).isFalse();
        assertThat(Syntax.isSha256(null)).isFalse();
        assertThat(Syntax.isSha512("0".repeat(128))).isTrue();
        assertThat(Syntax.isSha512("0".repeat(64))).isFalse();
        assertThat(Syntax.isImageId("sha256:" + "f".repeat(64))).isTrue();
        assertThat(Syntax.isImageId("sha256:0")).isFalse();
    }

    @Test
    void rpmNamesCannotCarryShellOrOptions() {
        assertThat(Syntax.isRpmName("libgreet-devel")).isTrue();
        assertThat(Syntax.isRpmName("python3.11+extra_x")).isTrue();
        assertThat(Syntax.isRpmName("hello;touch /tmp/x")).isFalse();
        assertThat(Syntax.isRpmName("--setopt=tsflags=test")).isFalse();
        assertThat(Syntax.isRpmName("$(id)")).isFalse();
        assertThat(Syntax.isRpmName("foo*")).isFalse();
        assertThat(Syntax.isRpmName("")).isFalse();
        assertThat(Syntax.isRpmVersion("1.0~rc1^git1")).isTrue();
        assertThat(Syntax.isRpmVersion("1.0-1")).isFalse();
        assertThat(Syntax.isRpmVersion("1|0")).isFalse();
        assertThat(Syntax.isRpmArch("x86_64")).isTrue();
        assertThat(Syntax.isRpmArch("x86 64")).isFalse();
        assertThat(Syntax.isRpmEpoch(0)).isTrue();
        assertThat(Syntax.isRpmEpoch(-1)).isFalse();
        assertThat(Syntax.isRpmEpoch(1L << 31)).isFalse();
    }

    @Test
    void mavenCoordinatesAndArches() {
        assertThat(Syntax.isMavenId("com.example.vendor")).isTrue();
        assertThat(Syntax.isMavenId("a/b")).isFalse();
        assertThat(Syntax.isMavenVersion("1.0.0-SNAPSHOT")).isTrue();
        assertThat(Syntax.isMavenVersion("../1")).isFalse();
        assertThat(Syntax.isMavenVersion("..")).isFalse();
        assertThat(Syntax.isMavenVersion("1 0")).isFalse();
        assertThat(Syntax.isArch("aarch64")).isTrue();
        assertThat(Syntax.isArch("../x")).isFalse();
    }

    @Test
    void kernelParametersAreSingleTokensWithoutMetacharacters() {
        assertThat(Syntax.isKernelParameter("console=ttyS0,115200n8")).isTrue();
        assertThat(Syntax.isKernelParameter("systemd.unit=multi-user.target")).isTrue();
        assertThat(Syntax.isKernelParameter("quiet")).isTrue();
        for (String bad : new String[] {"a b", "init=\"/bin/sh\"", "x;reboot", "}", "$x", "a\nb", "`id`", "a'b", "#",
                "-x", ""}) {
            assertThat(Syntax.isKernelParameter(bad)).as(bad).isFalse();
        }
    }

    @Test
    void oneLineMeansNoControlOrSeparatorCharacters() {
        assertThat(Syntax.isOneLine("Greet OS \"quoted\" $(x) 🚀", 64)).isTrue();
        assertThat(Syntax.isOneLine("a\nb", 64)).isFalse();
        assertThat(Syntax.isOneLine("a\rb", 64)).isFalse();
        assertThat(Syntax.isOneLine("a\tb", 64)).isFalse();
        assertThat(Syntax.isOneLine("a\u0000b", 64)).isFalse();
        assertThat(Syntax.isOneLine("a\u007fb", 64)).isFalse();
        assertThat(Syntax.isOneLine("a\u2028b", 64)).isFalse();
        assertThat(Syntax.isOneLine("a\u202eb", 64)).as("bidi override").isFalse();
        assertThat(Syntax.isOneLine("x".repeat(65), 64)).isFalse();
    }

    @Test
    void plainFileNames() {
        assertThat(Syntax.isPlainFileName("greet-1.0-1.x86_64.rpm")).isTrue();
        assertThat(Syntax.isPlainFileName(".hidden")).isFalse();
        assertThat(Syntax.isPlainFileName("..")).isFalse();
        assertThat(Syntax.isPlainFileName("a/b")).isFalse();
        assertThat(Syntax.isPlainFileName("evil$(id).spec")).isFalse();
    }

    @Test
    void showEscapesWhatWouldBreakAMessage() {
        assertThat(Syntax.show("a\nb\tc\u0001")).isEqualTo("'a\\nb\\tc\\u0001'");
        assertThat(Syntax.show(null)).isEqualTo("(none)");
        assertThat(Syntax.show("x".repeat(300))).hasSize(205);
    }
}
