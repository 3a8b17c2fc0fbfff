package dev.twoliter.engine.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.settings.SettingsDefaults.Fragment;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;

class SettingsDefaultsTest {
    private Fragment fragment(String name, String toml, boolean variant) throws Exception {
        return new Fragment(name, toml, variant);
    }

    @Test
    void mergesPackagesAndLetsTheVariantOverride() throws Exception {
        String merged = SettingsDefaults.merge(List.of(
                fragment("pkg-a/10-motd.toml", "[settings.motd]\ntext = \"hi\"\nlines = [1, 2]\n", false),
                fragment("pkg-b/20-net.toml", "settings.network.hostname = \"node\"\nsettings.network.mtu = 1500\n", false),
                fragment("variant/settings.toml", "[settings.motd]\ntext = \"from variant\"\n", true)), "m").toml();

        TomlParseResult parsed = Toml.parse(merged);
        assertThat(parsed.errors()).isEmpty();
        assertThat(parsed.getString("settings.motd.text")).isEqualTo("from variant");
        assertThat(parsed.getArray("settings.motd.lines").toList()).containsExactly(1L, 2L);
        assertThat(parsed.getLong("settings.network.mtu")).isEqualTo(1500);
        assertThat(merged).contains("#   pkg-a/10-motd.toml");
    }

    @Test
    void keepsEveryValueWithWhereItWasSet() throws Exception {
        SettingsDefaults.Merged merged = SettingsDefaults.merge(List.of(
                fragment("pkg-a/10-motd.toml", "[settings.motd]\ntext = \"hi\"\n", false),
                fragment("variant/90.toml", "\n[settings.ntp]\ntime-servers = [\"a\"]\n", true)), "m");
        assertThat(merged.values()).containsOnlyKeys("settings.motd.text", "settings.ntp.time-servers");
        assertThat(merged.origins()).containsEntry("settings.motd.text", "pkg-a/10-motd.toml:2")
                .containsEntry("settings.ntp.time-servers", "variant/90.toml:3");
    }

    @Test
    void twoPackagesSettingOneKeyFailWithBothFilesAndLines() throws Exception {
        assertThatThrownBy(() -> SettingsDefaults.merge(List.of(
                fragment("pkg-a/motd.toml", "[settings.motd]\ntext = \"a\"\n", false),
                fragment("pkg-b/motd.toml", "\n\nsettings.motd.text = \"b\"\n", false)), "com.example:os"))
                .hasMessage("com.example:os: setting 'settings.motd.text' is set by both pkg-a/motd.toml:2 and"
                        + " pkg-b/motd.toml:3; packages may not override each other: set it in the variant's own"
                        + " settings to decide.");
    }

    @Test
    void aValueAndATableAtOneKeyConflict() throws Exception {
        assertThatThrownBy(() -> SettingsDefaults.merge(List.of(
                fragment("a.toml", "settings.x = 1\n", false), fragment("b.toml", "settings.x.y = 2\n", false)), "m"))
                .hasMessageContaining("setting 'settings.x' is a value in a.toml:1 but a table in b.toml:1");
    }

    @Test
    void invalidTomlNamesTheFragment() throws Exception {
        assertThatThrownBy(() -> SettingsDefaults.merge(List.of(fragment("pkg/bad.toml", "x = = 1", false)), "m"))
                .hasMessageContaining("settings fragment pkg/bad.toml is not valid TOML");
    }
}
