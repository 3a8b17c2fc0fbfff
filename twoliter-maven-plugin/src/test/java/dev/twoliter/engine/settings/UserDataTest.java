package dev.twoliter.engine.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.tomlj.Toml;
import org.tomlj.TomlArray;

class UserDataTest {
    private final Map<String, Object> defaults = new TreeMap<>();
    private final Map<String, String> origins = new TreeMap<>();

    UserDataTest() {
        var toml = Toml.parse("""
                [settings.motd]
                text = "default"
                [settings.ntp]
                time-servers = ["a.example", "b.example"]
                options.iburst = true
                """);
        for (String key : toml.dottedKeySet()) {
            Object value = toml.get(Toml.parseDottedKey(key));
            if (!(value instanceof org.tomlj.TomlTable)) {
                defaults.put(key, value);
                origins.put(key, "defaults.toml:" + toml.inputPositionOf(Toml.parseDottedKey(key)).line());
            }
        }
    }

    @Test
    void userDataReplacesValuesAndArraysWholeAndMergesTables() throws SettingsException {
        UserData applied = UserData.apply(defaults, origins, """
                [settings.ntp]
                time-servers = ["fleet.example"]
                options.prefer = true
                """, "fleet.toml");

        assertThat(((TomlArray) applied.settings().get("settings.ntp.time-servers")).toList())
                .containsExactly("fleet.example");
        assertThat(applied.settings()).containsEntry("settings.ntp.options.iburst", true)
                .containsEntry("settings.ntp.options.prefer", true).containsEntry("settings.motd.text", "default");
        assertThat(applied.origins()).containsEntry("settings.ntp.time-servers", "fleet.toml:2")
                .containsEntry("settings.motd.text", "defaults.toml:2");
    }

    @Test
    void onlySettingsAndNoClashBetweenValuesAndTables() {
        assertThatThrownBy(() -> UserData.apply(defaults, origins, "[kubernetes]\nx = 1\n", "fleet.toml"))
                .hasMessage("fleet.toml:1: user data holds only a [settings] table; 'kubernetes' is not one.");
        assertThatThrownBy(() -> UserData.apply(defaults, origins, "settings.ntp.options = \"fast\"\n", "fleet.toml"))
                .hasMessage("fleet.toml:1: settings.ntp.options is a table of settings in the image"
                        + " (settings.ntp.options.iburst, set in defaults.toml:5), not a value.");
        assertThatThrownBy(() -> UserData.apply(defaults, origins, "settings.motd.text.lang = \"en\"\n", "fleet.toml"))
                .hasMessage("fleet.toml:1: settings.motd.text is a value in the image (set in defaults.toml:2), not a"
                        + " table.");
        assertThatThrownBy(() -> UserData.apply(defaults, origins, "settings = 1\n", "fleet.toml"))
                .hasMessageContaining("settings is a table of settings, not a value");
        assertThatThrownBy(() -> UserData.apply(defaults, origins, "[settings\n", "fleet.toml"))
                .hasMessageStartingWith("fleet.toml is not valid TOML");
    }
}
