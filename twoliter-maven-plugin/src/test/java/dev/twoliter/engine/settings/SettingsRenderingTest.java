package dev.twoliter.engine.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.settings.template.SettingsTemplate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.tomlj.Toml;

class SettingsRenderingTest {
    private static final String EXTENSION = """
            [extension]
            name = "%s"
            version = "v1"
            model = "model.json"
            [configuration-files.%s]
            path = "/etc/%s.conf"
            template-path = "/usr/share/templates/%s"
            mode = "0600"
            """;

    private static SettingsExtension extension(String name) throws SettingsException {
        return SettingsExtension.parse(EXTENSION.formatted(name, name, name, name), name + "-pkg:extension.toml");
    }

    private static Map<String, Object> settings(String toml) {
        var parsed = Toml.parse(toml);
        Map<String, Object> flat = new TreeMap<>();
        for (String key : parsed.dottedKeySet()) {
            Object value = parsed.get(Toml.parseDottedKey(key));
            if (!(value instanceof org.tomlj.TomlTable)) {
                flat.put(key, value);
            }
        }
        return flat;
    }

    @Test
    void everyConfigurationFileIsRenderedFromItsTemplateAndTheSettings() throws Exception {
        Map<String, SettingsExtension> extensions = SettingsExtensions.gather(List.of(extension("ntp"),
                extension("motd")));
        Map<String, SettingsTemplate> templates = Map.of(
                "/usr/share/templates/ntp", SettingsTemplate.parse("ntp-pkg:/usr/share/templates/ntp",
                        "[required-extensions]\nntp = \"v1\"\nstd = { version = \"v1\", helpers = [\"join_array\"] }\n"
                                + "+++\n{{#each settings.ntp.time-servers}}server {{this}} iburst\n{{/each}}"
                                + "# {{join_array \", \" settings.ntp.time-servers}}\n"),
                "/usr/share/templates/motd", SettingsTemplate.parse("motd-pkg:/usr/share/templates/motd",
                        "[required-extensions]\nmotd = \"v1\"\n+++\n{{settings.motd.text}}\n"));

        List<SettingsRendering.RenderedFile> files = SettingsRendering.render(extensions, templates, settings("""
                settings.motd.text = "Welcome"
                settings.ntp.time-servers = ["a.example", "b.example"]
                """));

        assertThat(files).extracting(SettingsRendering.RenderedFile::path).containsExactly("/etc/motd.conf",
                "/etc/ntp.conf");
        assertThat(files.get(0).content()).isEqualTo("Welcome\n");
        assertThat(files.get(0).mode()).isEqualTo("0600");
        assertThat(files.get(1).content()).isEqualTo("server a.example iburst\nserver b.example iburst\n"
                + "# \"a.example\", \"b.example\"\n");
        assertThat(files.get(1).sha256()).hasSize(64);
    }

    @Test
    void aMissingTemplateOrAnExtensionTheImageLacksIsNamed() throws Exception {
        Map<String, SettingsExtension> ntpOnly = SettingsExtensions.gather(List.of(extension("ntp")));
        assertThatThrownBy(() -> SettingsRendering.render(ntpOnly, Map.of(), Map.of())).hasMessage(
                "ntp-pkg:extension.toml: configuration file ntp is rendered from /usr/share/templates/ntp, which no"
                        + " installed package ships.");

        SettingsTemplate wantsMotd = SettingsTemplate.parse("ntp-pkg:/usr/share/templates/ntp",
                "[required-extensions]\nntp = \"v1\"\nmotd = \"v2\"\n+++\n{{settings.motd}}");
        assertThatThrownBy(() -> SettingsRendering.render(ntpOnly, Map.of("/usr/share/templates/ntp", wantsMotd),
                Map.of())).hasMessage("ntp-pkg:/usr/share/templates/ntp: requires extension motd v2, which the image"
                        + " does not have (it has: ntp).");
        Map<String, SettingsExtension> both = SettingsExtensions.gather(List.of(extension("ntp"), extension("motd")));
        Map<String, SettingsTemplate> templates = Map.of("/usr/share/templates/ntp", wantsMotd,
                "/usr/share/templates/motd", wantsMotd);
        assertThatThrownBy(() -> SettingsRendering.render(both, templates, Map.of())).hasMessageContaining(
                "requires extension motd v2, but the image has v1 (motd-pkg:extension.toml)");
    }
}
