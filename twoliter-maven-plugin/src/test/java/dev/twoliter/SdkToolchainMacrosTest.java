package dev.twoliter;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The SDK's toolchain macros, the arch files they read, and the docs that describe them agree. */
class SdkToolchainMacrosTest {
    private static final Path SDK = Path.of("../sdk");

    private static Set<String> defined(Path macros) throws Exception {
        Set<String> names = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^%([A-Za-z_][A-Za-z0-9_]*)[ \\t(]").matcher(Files.readString(macros));
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    @Test
    void everyArchMacroTheToolchainsNeedIsDefinedForEveryArch() throws Exception {
        String toolchains = Files.readString(SDK.resolve("toolchains.macros"));
        Set<String> required = new TreeSet<>();
        Matcher m = Pattern.compile("%\\{(_cross_[a-z_]+|__[a-z]+)}").matcher(toolchains);
        while (m.find()) {
            required.add(m.group(1));
        }
        required.removeAll(defined(SDK.resolve("toolchains.macros")));
        // Macros the toolchains test with %{?name…} are optional: only cross arches have a sysroot.
        Matcher optional = Pattern.compile("%\\{\\?(_cross_[a-z_]+|__[a-z_]+)[:}]").matcher(toolchains);
        while (optional.find()) {
            required.remove(optional.group(1));
        }
        assertThat(required).contains("_cross_goarch", "_cross_rust_target", "__cc", "_cross_triple");
        for (String arch : new String[] {"x86_64", "aarch64"}) {
            assertThat(defined(SDK.resolve("macros/" + arch + ".macros"))).as(arch + ".macros").containsAll(required);
        }
    }

    @Test
    void onlyTheCrossArchHasASysrootAndItsCompilersAreTheWrappersThatUseIt() throws Exception {
        assertThat(defined(SDK.resolve("macros/x86_64.macros"))).doesNotContain("_cross_sysroot");
        String aarch64 = Files.readString(SDK.resolve("macros/aarch64.macros"));
        assertThat(aarch64).contains("%_cross_sysroot /work/sysroot\n")
                .contains("%__cc /usr/libexec/twoliter/aarch64-linux-gnu-gcc\n");
        assertThat(Files.readString(SDK.resolve("finalize.sh"))).contains("--sysroot=/work/sysroot")
                .contains("/usr/share/twoliter/sysroot/$arch/twoliter-sdk-provides.rpm");
        assertThat(Files.readString(SDK.resolve("meson/aarch64.ini"))).contains("sys_root = '/work/sysroot'");
    }

    @Test
    void everyMacroTheDocsListIsDefined() throws Exception {
        String docs = Files.readString(Path.of("../docs/rpm-packaging.md"));
        String table = docs.substring(docs.indexOf("| macro | does |"), docs.indexOf("BuildRequires name the toolchains"));
        Set<String> documented = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\| ([^|]+) \\|").matcher(table);
        while (m.find()) {
            Matcher name = Pattern.compile("`%\\{?([a-z_]+)}?`").matcher(m.group(1));
            while (name.find()) {
                documented.add(name.group(1));
            }
        }
        assertThat(documented).contains("configure", "cmake", "meson_install", "gobuild", "cargo_build", "cargo_outdir");
        Set<String> defined = defined(SDK.resolve("toolchains.macros"));
        defined.addAll(Set.of("make_build", "make_install")); // rpm's own
        assertThat(defined).containsAll(documented);
    }

    @Test
    void packagesFromOtherSuitesNameASuiteOfTheSameDistribution() throws Exception {
        for (String line : Files.readAllLines(SDK.resolve("packages.txt"))) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            assertThat(line).as("packages.txt").matches("[a-z0-9][a-z0-9.+-]*(/bookworm-[a-z]+)?");
        }
    }
}
