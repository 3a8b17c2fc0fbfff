package dev.twoliter.engine.closure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.TwoliterException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DepsFactsTest {
    @TempDir
    Path dir;

    private static final String GREET = """
            format-version = 1

            [[rpm]]
            path = "greet/greet-1.0-1.x86_64.rpm"
            name = "greet"
            epoch = 0
            version = "1.0"
            release = "1"
            arch = "x86_64"
            provides = ["greet = 1.0-1"]
            requires = ["libgreet.so.1()(64bit)"]
            files = ["/usr/bin/greet"]
            """;

    private Path report(String text) throws Exception {
        return Files.writeString(dir.resolve("deps.toml"), text);
    }

    /** What package-facts.py printed for the RPMs of deps.spec, built in the SDK image. */
    private Path realReport() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("deps.toml")) {
            return Files.write(dir.resolve("real.toml"), in.readAllBytes());
        }
    }

    @Test
    void readsWhatTheScriptReportedForRealPackages() throws Exception {
        List<PackageDeps> packages = DepsFacts.read(realReport());

        assertThat(packages).extracting(PackageDeps::nevra)
                .containsExactly("greet-1.0-1.x86_64", "libgreet-2:1.0^git1-1.x86_64");
        PackageDeps greet = packages.get(0);
        assertThat(greet.arch()).isEqualTo("x86_64");
        assertThat(greet.provides()).extracting(Capability::toString).contains("config(greet) = 0:1.0-1",
                "greet(x86-64) = 0:1.0-1", "greet-virtual", "perl(Foo::Bar) = 0.5");
        assertThat(greet.requires()).extracting(Requirement::toString).contains("(a or (b and c >= 2))",
                "(foo if bar else baz)", "(pa with pb)", "/bin/sh", "bar >= 1:2.3-4", "tilde >= 1.0~rc1",
                "rpmlib(RichDependencies) <= 4.12.0-1").doesNotContain("weak");
        assertThat(greet.files()).contains("/usr/share/greet", "/usr/share/greet/read me ü.txt",
                "/usr/share/greet/q\"uote");
        assertThat(packages.get(1).provides()).extracting(Capability::toString).contains("libgreet.so.1()(64bit)");

        ClosureReport closure = new ClosureCheck(ClosureScope.KIT, new PackageSet("kit com.example:greet-kit",
                packages), List.of(), List.of(), List.of(), List.of()).run();
        assertThat(closure.unmet()).extracting(ClosureReport.Unmet::requirement).containsExactly(
                "(a or (b and c >= 2))", "(foo if bar else baz)", "(pa with pb)", "/bin/sh", "bar >= 1:2.3-4",
                "shadow-utils", "tilde >= 1.0~rc1");
    }

    @Test
    void readsAMinimalReportAndAddsTheSelfProvideOnlyWhenMissing() throws Exception {
        PackageDeps greet = DepsFacts.read(report(GREET)).get(0);
        assertThat(greet.provides()).extracting(Capability::toString).containsExactly("greet = 1.0-1");
        assertThat(greet.ships("/usr/bin/greet")).isTrue();
        PackageDeps bare = DepsFacts.read(report(GREET.replace("[\"greet = 1.0-1\"]", "[]"))).get(0);
        assertThat(bare.provides()).extracting(Capability::toString).containsExactly("greet = 1.0-1");
    }

    @Test
    void refusesHeadersAndPathsOutsideRpmsRules() {
        assertRefused(GREET.replace("name = \"greet\"", "name = \"-rf\""), "rpm entry 1 has the invalid name '-rf'");
        assertRefused(GREET.replace("epoch = 0", "epoch = -1"), "has the invalid epoch '-1'");
        assertRefused(GREET.replace("epoch = 0", "epoch = \"0\""), "has the invalid epoch '0'");
        assertRefused(GREET.replace("version = \"1.0\"", "version = \"1-0\""), "has the invalid version '1-0'");
        assertRefused(GREET.replace("arch = \"x86_64\"", "arch = \"x86 64\""), "has the invalid arch 'x86 64'");
        assertRefused(GREET.replace("greet/greet-1.0-1", "../greet-1.0-1"), "has the path '../greet-1.0-1.x86_64.rpm'");
        assertRefused(GREET.replace("greet/greet-1.0-1", "/greet-1.0-1"), "which is not a relative path");
        assertRefused(GREET.replace(".x86_64.rpm", ".x86_64.txt"), "ending in .rpm");
        assertRefused(GREET.replace("path = \"greet/", "path = \"greet\\n/"), "which is not a relative path");
        assertRefused(GREET.replace("[\"greet = 1.0-1\"]", "[\"(a or b)\"]"), "rpm entry 1 (greet-1.0-1.x86_64,"
                + " greet/greet-1.0-1.x86_64.rpm) provides '(a or b)', which rpm would not write: the dependency '(a or"
                + " b)' starts with '('");
        assertRefused(GREET.replace("[\"libgreet.so.1()(64bit)\"]", "[\"(a or\"]"), "requires '(a or', which rpm"
                + " would not write: the requirement '(a or' is malformed");
        assertRefused(GREET.replace("[\"libgreet.so.1()(64bit)\"]", "[\"a >= 1\\u0000\"]"), "requires 'a >=");
        assertRefused(GREET.replace("[\"/usr/bin/greet\"]", "[\"usr/bin/greet\"]"), "ships the file 'usr/bin/greet',"
                + " which is not an absolute path");
        assertRefused(GREET.replace("[\"/usr/bin/greet\"]", "[\"/usr/bin/gr\\neet\"]"), "ships the file");
        assertRefused(GREET.replace("[\"/usr/bin/greet\"]", "[1]"), "has a files entry that is not a string");
        assertRefused(GREET.replace("requires = [\"libgreet.so.1()(64bit)\"]\n", ""), "lacks requires");
        assertRefused(GREET.replace("format-version = 1", "format-version = 2"), "has format-version '2'");
        assertRefused(GREET.replace("[[rpm]]", "[rpm"), "cannot be read");
        assertRefused("format-version = 1\nrpm = [1]\n", "rpm entry 1 is not a table");
    }

    @Test
    void boundsTheFilesOfAPackage() throws Exception {
        assertThat(DepsFacts.MAX_FILES).isEqualTo(100_000);
        Path three = report(GREET.replace("[\"/usr/bin/greet\"]", "[\"/a\", \"/b\", \"/c\"]"));
        assertThat(DepsFacts.read(three, 3).get(0).files()).hasSize(3);
        assertThatThrownBy(() -> DepsFacts.read(three, 2)).hasMessageContaining("rpm entry 1 (greet-1.0-1.x86_64,"
                + " greet/greet-1.0-1.x86_64.rpm) has 3 files, more than the 2 a package may have here");
    }

    private void assertRefused(String text, String message) {
        assertThatThrownBy(() -> DepsFacts.read(report(text))).isInstanceOf(TwoliterException.class)
                .hasMessageContaining(message).hasMessageContaining("deps.toml");
    }
}
