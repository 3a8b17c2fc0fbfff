package dev.twoliter.engine.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.TwoliterException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageFactsTest {
    @TempDir
    Path dir;

    private Path report(String text) throws Exception {
        return Files.writeString(dir.resolve("packages.toml"), "format-version = 1\n" + text);
    }

    private static String pkg(String name, String version, String summary) {
        return "\n[[package]]\nname = \"" + name + "\"\nepoch = 0\nversion = \"" + version + "\"\nrelease = \"1\"\n"
                + "arch = \"noarch\"\nscriptlets = [\"%post\"]\nrepository = \"local\"\ngroup = \"g\"\nurl = \"u\"\n"
                + "summary = \"" + summary + "\"\n";
    }

    @Test
    void readsPackagesWhoseTextsCarryEscapedQuotesAndNewlines() throws Exception {
        PackageFacts.Installed installed = PackageFacts.readInstalled(report(pkg("greet", "1.0", "a \\\"b\\\" | c\\nd")
                + "\n[[settings-fragment]]\nfile = \"10-greet.toml\"\nowner = \"greet\"\n"));
        assertThat(installed.packages()).hasSize(1);
        PackageFacts.InstalledPackage p = installed.packages().get(0);
        assertThat(p.nevra().toString()).isEqualTo("greet-1.0-1.noarch");
        assertThat(p.summary()).isEqualTo("a \"b\" | c\nd");
        assertThat(p.scriptlets()).containsExactly("%post");
        assertThat(installed.settingsFragments()).containsExactly(new PackageFacts.SettingsFragment("10-greet.toml",
                "greet"));
    }

    @Test
    void refusesHeadersOutsideRpmSyntax() throws Exception {
        assertThatThrownBy(() -> PackageFacts.readInstalled(report(pkg("evil|name", "1.0", "s"))))
                .isInstanceOf(TwoliterException.class).hasMessageContaining("invalid name 'evil|name'");
        assertThatThrownBy(() -> PackageFacts.readInstalled(report(pkg("ok", "1.0\\nfake", "s"))))
                .hasMessageContaining("invalid version '1.0\\nfake'");
    }

    @Test
    void refusesSettingsFragmentsThatAreNotPlainTomlFileNames() throws Exception {
        assertThatThrownBy(() -> PackageFacts.readInstalled(report(
                "\n[[settings-fragment]]\nfile = \"../../etc/x.toml\"\nowner = \"greet\"\n")))
                .hasMessageContaining("settings fragment '../../etc/x.toml'");
    }

    @Test
    void refusesAReportThatIsNotToml() throws Exception {
        assertThatThrownBy(() -> PackageFacts.readInstalled(report("[[package]\nname=")))
                .hasMessageContaining("cannot be read");
    }

    @Test
    void readsRpmFiles() throws Exception {
        Path file = Files.writeString(dir.resolve("rpms.toml"), "format-version = 1\n\n[[rpm]]\npath = \"greet/greet-1.0-1.x86_64.rpm\"\n"
                + "name = \"greet\"\nepoch = 2\nversion = \"1.0\"\nrelease = \"1\"\narch = \"x86_64\"\nscriptlets = []\n");
        assertThat(PackageFacts.readFiles(file)).singleElement().satisfies(r -> {
            assertThat(r.path()).isEqualTo("greet/greet-1.0-1.x86_64.rpm");
            assertThat(r.nevra().toString()).isEqualTo("greet-2:1.0-1.x86_64");
        });
    }
}
