package dev.twoliter.engine.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SettingsExtensionTest {
    private static final String MOTD = """
            [extension]
            name = "motd"
            version = "v1"
            model = "model.json"

            [configuration-files.motd]
            path = "/etc/motd"
            template-path = "/usr/share/templates/motd"

            [services.motd]
            configuration-files = ["motd"]
            restart-commands = ["/usr/bin/true"]

            [metadata.settings.motd]
            affected-services = ["motd"]
            """;

    private static SettingsExtension parse(String text) throws SettingsException {
        return SettingsExtension.parse(text, "motd-pkg:/usr/share/twoliter/settings/motd/extension.toml");
    }

    @Test
    void aDeclarationWithBottlerocketsTablesIsRead() throws SettingsException {
        SettingsExtension motd = parse(MOTD);

        assertThat(motd.name()).isEqualTo("motd");
        assertThat(motd.version()).isEqualTo("v1");
        assertThat(motd.modelFile()).isEqualTo("model.json");
        assertThat(motd.configurationFiles()).containsOnlyKeys("motd");
        assertThat(motd.configurationFiles().get("motd")).isEqualTo(new SettingsExtension.ConfigurationFile("motd",
                "/etc/motd", "/usr/share/templates/motd", "0644"));
        assertThat(motd.services().get("motd").restartCommands()).containsExactly("/usr/bin/true");
        assertThat(motd.affectedServices()).containsExactly("motd");
    }

    @Test
    void mistakesAreRefusedWithTheFileLineAndWhatIsAllowed() {
        assertThatThrownBy(() -> parse(MOTD.replace("template-path", "template_path"))).hasMessage(
                "motd-pkg:/usr/share/twoliter/settings/motd/extension.toml:8: unknown key"
                        + " 'configuration-files.motd.template_path' (known here: mode, path, template-path).");
        assertThatThrownBy(() -> parse(MOTD.replace("path = \"/etc/motd\"", "path = \"/etc/../motd\"")))
                .hasMessageEndingWith(":7: configuration-files.motd.path '/etc/../motd' is not a normal absolute path"
                        + " (such as /etc/motd).");
        assertThatThrownBy(() -> parse(MOTD.replace("configuration-files = [\"motd\"]",
                "configuration-files = [\"mtod\"]"))).hasMessageContaining(":11: service motd reads configuration"
                        + " file 'mtod', which the extension does not declare (it declares: motd).");
        assertThatThrownBy(() -> parse(MOTD.replace("affected-services = [\"motd\"]", "affected-services = [\"x\"]")))
                .hasMessageContaining("affected service 'x' is not among the extension's services (motd)");
        assertThatThrownBy(() -> parse(MOTD.replace("model = \"model.json\"", "model = \"../model.json\"")))
                .hasMessageContaining("is not a file name beside extension.toml");
        assertThatThrownBy(() -> parse(MOTD.replace("version = \"v1\"", "version = 1"))).hasMessageContaining(
                ":3: extension.version is not a one-line string.");
        assertThatThrownBy(() -> parse(MOTD + "mode = \"0644\"\n")).hasMessageContaining("unknown key");
        assertThatThrownBy(() -> parse(MOTD.replace("template-path = \"/usr/share/templates/motd\"",
                "template-path = \"/usr/share/templates/motd\"\nmode = \"rw\""))).hasMessageContaining(
                        "mode 'rw' is not an octal file mode");
        assertThatThrownBy(() -> parse("[extension\n")).hasMessageContaining("is not valid TOML");
        assertThatThrownBy(() -> parse("x".repeat(SettingsExtension.MAX_BYTES + 1))).hasMessageContaining("larger than");
    }

    @Test
    void anImageHasOneDeclarationPerNameAndOneRendererPerFile() throws SettingsException {
        SettingsExtension motd = parse(MOTD);
        SettingsExtension other = SettingsExtension.parse(MOTD.replace("name = \"motd\"", "name = \"banner\"")
                .replace("[metadata.settings.motd]", "[metadata.settings.banner]"), "banner-pkg:extension.toml");

        assertThat(SettingsExtensions.gather(List.of(motd))).containsOnlyKeys("motd");
        assertThatThrownBy(() -> SettingsExtensions.gather(List.of(motd, other))).hasMessage(
                "/etc/motd is rendered by both configuration file motd of extension motd"
                        + " (motd-pkg:/usr/share/twoliter/settings/motd/extension.toml) and configuration file motd of"
                        + " extension banner (banner-pkg:extension.toml); one file has one template.");
        assertThatThrownBy(() -> SettingsExtensions.gather(List.of(motd, motd))).hasMessageStartingWith(
                "settings extension motd is declared twice");
    }
}
