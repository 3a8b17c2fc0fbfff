package dev.twoliter.engine.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsCheckTest {
    private static final String MOTD_EXTENSION = Declarations.of("motd", "model.json", "/etc/motd", null)
            + "[services.motd]\nconfiguration-files = [\"motd\"]\n";
    private static final String MOTD_MODEL = """
            {"type": "string", "maxLength": 40, "description": "The message of the day."}""";
    private static final String NTP_EXTENSION = Declarations.of("ntp", "ntp.json", "/etc/chrony.conf", "0600")
            .replace("configuration-files.ntp", "configuration-files.chrony").replace("templates/ntp", "templates/chrony");
    private static final String NTP_MODEL = """
            {"type": "object", "properties": {
              "time-servers": {"type": "array", "maxItems": 4, "description": "Servers to ask.",
                               "items": {"type": "string", "pattern": "^[a-z0-9.-]+$"}}}}""";
    private static final String MOTD_TEMPLATE = "[required-extensions]\nmotd = \"v1\"\n+++\n{{settings.motd}}\n";
    private static final String CHRONY_TEMPLATE = "[required-extensions]\nntp = \"v1\"\n+++\n"
            + "{{#each settings.ntp.time-servers}}server {{this}} iburst\n{{/each}}";

    @TempDir
    Path dir;

    private final List<SettingsDefaults.Fragment> fragments = new ArrayList<>(List.of(
            new SettingsDefaults.Fragment("package motd /usr/share/twoliter/settings.d/10-motd.toml",
                    "settings.motd = \"hello\"\n", false),
            new SettingsDefaults.Fragment("package ntp /usr/share/twoliter/settings.d/20-ntp.toml",
                    "[settings.ntp]\ntime-servers = [\"a.example.net\"]\n", false)));
    private final List<SettingsBundle.ExtensionFiles> extensions = new ArrayList<>(List.of(
            extension("motd", "motd-pkg", MOTD_EXTENSION, "model.json", MOTD_MODEL),
            extension("ntp", "ntp-pkg", NTP_EXTENSION, "ntp.json", NTP_MODEL)));
    private final Map<String, String> templates = new LinkedHashMap<>(Map.of(
            "/usr/share/templates/motd", MOTD_TEMPLATE, "/usr/share/templates/chrony", CHRONY_TEMPLATE));

    private static SettingsBundle.ExtensionFiles extension(String name, String owner, String declaration,
            String modelName, String model) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("extension.toml", declaration.getBytes(StandardCharsets.UTF_8));
        files.put(modelName, model.getBytes(StandardCharsets.UTF_8));
        return new SettingsBundle.ExtensionFiles(name, owner, files);
    }

    private SettingsBundle bundle() {
        return new SettingsBundle(fragments, extensions, templates);
    }

    @Test
    void rendersEveryConfigurationFileFromTheDefaults() throws Exception {
        SettingsCheck.Result result = SettingsCheck.defaults(bundle(), "com.example:os");

        assertThat(result.checked()).isTrue();
        assertThat(result.extensions()).containsOnlyKeys("motd", "ntp");
        assertThat(result.files()).extracting(SettingsRendering.RenderedFile::path, SettingsRendering.RenderedFile::mode,
                SettingsRendering.RenderedFile::content).containsExactly(
                        org.assertj.core.groups.Tuple.tuple("/etc/chrony.conf", "0600", "server a.example.net iburst\n"),
                        org.assertj.core.groups.Tuple.tuple("/etc/motd", "0644", "hello\n"));
    }

    @Test
    void theVariantOverridesAPackagesDefault() throws Exception {
        fragments.add(new SettingsDefaults.Fragment("variant settings.d/90.toml", "settings.motd = \"mine\"\n", true));

        assertThat(SettingsCheck.defaults(bundle(), "m").files()).extracting(SettingsRendering.RenderedFile::content)
                .contains("mine\n");
    }

    @Test
    void aDefaultThatBreaksItsModelNamesTheKeyTheFileAndTheLine() {
        fragments.add(new SettingsDefaults.Fragment("variant settings.d/90.toml",
                "\n[settings.ntp]\ntime-servers = [\"UPPER case\"]\n", true));

        assertThatThrownBy(() -> SettingsCheck.defaults(bundle(), "com.example:os"))
                .isInstanceOf(SettingsException.class)
                .hasMessageStartingWith("com.example:os: the image's default settings do not fit the settings models")
                .hasMessageContaining("settings.ntp.time-servers[0] (variant settings.d/90.toml:3): does not match the"
                        + " regex pattern ^[a-z0-9.-]+$ (extension ntp v1 (package ntp-pkg");
    }

    @Test
    void anUnknownKeyInAnExtensionsTableIsRefused() {
        fragments.add(new SettingsDefaults.Fragment("variant settings.d/90.toml", "settings.ntp.tyme-servers = []\n",
                true));

        assertThatThrownBy(() -> SettingsCheck.defaults(bundle(), "m"))
                .hasMessageContaining("settings.ntp.tyme-servers (variant settings.d/90.toml:1): unknown key: the"
                        + " model does not define it");
    }

    @Test
    void aSettingOfNoExtensionIsRefused() {
        fragments.add(new SettingsDefaults.Fragment("variant settings.d/90.toml", "settings.kernel.x = 1\n", true));

        assertThatThrownBy(() -> SettingsCheck.defaults(bundle(), "m"))
                .hasMessageContaining("settings.kernel.x (variant settings.d/90.toml:1): no extension defines"
                        + " settings.kernel (extensions: motd, ntp)");
    }

    @Test
    void aTemplateThatReadsAnotherExtensionsSettingIsRefusedAtCompileTime() {
        templates.put("/usr/share/templates/motd", "[required-extensions]\nmotd = \"v1\"\n+++\n"
                + "{{settings.motd}} {{settings.ntp.time-servers}}\n");

        assertThatThrownBy(() -> SettingsCheck.defaults(bundle(), "m"))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("template /usr/share/templates/motd (configuration file motd of package motd-pkg")
                .hasMessageContaining("ntp");
    }

    @Test
    void aTemplateThatReadsASettingTheModelLacksIsRefusedAtCompileTime() {
        templates.put("/usr/share/templates/chrony", "[required-extensions]\nntp = \"v1\"\n+++\n"
                + "{{#if settings.ntp.tyme-servers}}x{{/if}}\n");

        assertThatThrownBy(() -> SettingsCheck.defaults(bundle(), "m"))
                .hasMessageStartingWith("template /usr/share/templates/chrony (configuration file chrony of package"
                        + " ntp-pkg /usr/share/twoliter/settings/extensions/ntp/extension.toml):4: reads"
                        + " settings.ntp.tyme-servers, which no model defines: settings.ntp has no tyme-servers in the"
                        + " model of extension ntp v1")
                .hasMessageEndingWith("; it defines time-servers.");
    }

    @Test
    void readsIntoOpenOrCombinedPartsOfAModelAreTakenOnTrust() throws Exception {
        SettingsModel model = SettingsModel.load("x", "v1", "x-pkg", """
                {"type": "object", "properties": {
                  "map": {"type": "object", "additionalProperties": {"type": "string"}},
                  "list": {"type": "array", "items": {"type": "object", "properties": {"a": {"type": "string"}}}},
                  "any": {"anyOf": [{"type": "string"}, {"type": "object"}]}}}""".getBytes(StandardCharsets.UTF_8));

        assertThat(model.undefined(List.of("map", "whatever"))).isEmpty();
        assertThat(model.undefined(List.of("list", "0", "a"))).isEmpty();
        assertThat(model.undefined(List.of("list", "0", "b"))).hasValueSatisfying(why -> assertThat(why)
                .startsWith("settings.x.list.0 has no b"));
        assertThat(model.undefined(List.of("any", "deep"))).isEmpty();
        assertThat(model.undefined(List.of("nothing"))).isPresent();
    }

    @Test
    void aBrokenTemplateIsNamed() {
        templates.put("/usr/share/templates/motd", "[required-extensions]\nmotd = \"v1\"\n+++\n{{#if settings.motd}}\n");

        assertThatThrownBy(() -> SettingsCheck.defaults(bundle(), "m"))
                .hasMessageContaining("template /usr/share/templates/motd");
    }

    @Test
    void aMissingTemplateNamesTheExtensionAndThePath() {
        templates.remove("/usr/share/templates/chrony");

        assertThatThrownBy(() -> SettingsCheck.defaults(bundle(), "m"))
                .hasMessageContaining("package ntp-pkg /usr/share/twoliter/settings/extensions/ntp/extension.toml:"
                        + " configuration file chrony is rendered from /usr/share/templates/chrony, which no installed"
                        + " package ships");
    }

    @Test
    void twoExtensionsRenderingOnePathAreRefused() {
        extensions.add(extension("motd2", "other-pkg", MOTD_EXTENSION.replace("name = \"motd\"", "name = \"motd2\""),
                "model.json", MOTD_MODEL));

        assertThatThrownBy(() -> SettingsCheck.defaults(bundle(), "m"))
                .hasMessageContaining("/etc/motd is rendered by both configuration file motd of extension motd")
                .hasMessageContaining("other-pkg");
    }

    @Test
    void anExtensionInAnotherExtensionsDirectoryIsRefused() {
        extensions.set(0, extension("greeting", "motd-pkg", MOTD_EXTENSION, "model.json", MOTD_MODEL));

        assertThatThrownBy(() -> SettingsCheck.defaults(bundle(), "m"))
                .hasMessageContaining("declares extension motd in the directory of greeting");
    }

    @Test
    void userDataRendersOverTheDefaults() throws Exception {
        SettingsCheck.Result result = SettingsCheck.withUserData(bundle(), "m", new SettingsCheck.UserDataInput(
                "[settings]\nmotd = \"fleet\"\nntp.time-servers = [\"x.example.net\", \"y.example.net\"]\n",
                "fleet.toml"));

        assertThat(result.files()).extracting(SettingsRendering.RenderedFile::content).containsExactly(
                "server x.example.net iburst\nserver y.example.net iburst\n", "fleet\n");
        assertThat(result.origins()).containsEntry("settings.motd", "fleet.toml:2");
    }

    @Test
    void aTypoInUserDataNamesTheKeyAndTheLine() {
        assertThatThrownBy(() -> SettingsCheck.withUserData(bundle(), "m", new SettingsCheck.UserDataInput(
                "[settings.ntp]\n\ntime-server = [\"x\"]\n", "fleet.toml")))
                .hasMessageStartingWith("m: the settings of fleet.toml do not fit the settings models (1 problem):")
                .hasMessageContaining("settings.ntp.time-server (fleet.toml:3): unknown key");
    }

    @Test
    void linesHoldingOnlyABlockTagAreDroppedAsHandlebarsRustDoes() throws Exception {
        templates.put("/usr/share/templates/chrony", "[required-extensions]\nntp = \"v1\"\n+++\n# servers\n"
                + "{{#each settings.ntp.time-servers}}\nserver {{this}}\n{{/each}}\ndone\n");

        assertThat(SettingsCheck.defaults(bundle(), "m").files().get(0).content())
                .isEqualTo("# servers\nserver a.example.net\ndone\n");
    }

    @Test
    void aWrongTypeInUserDataSaysWhatTheModelExpects() {
        assertThatThrownBy(() -> SettingsCheck.withUserData(bundle(), "m", new SettingsCheck.UserDataInput(
                "[settings]\nmotd = 42\n", "fleet.toml")))
                .hasMessageContaining("settings.motd (fleet.toml:2): integer found, string expected");
    }

    @Test
    void anImageWithoutExtensionsKeepsItsDefaultsUncheckedButRefusesUserData() throws Exception {
        extensions.clear();
        templates.clear();

        SettingsCheck.Result result = SettingsCheck.defaults(bundle(), "m");
        assertThat(result.checked()).isFalse();
        assertThat(result.files()).isEmpty();
        assertThatThrownBy(() -> SettingsCheck.withUserData(bundle(), "m", new SettingsCheck.UserDataInput(
                "[settings]\nmotd = \"x\"\n", "fleet.toml")))
                .hasMessageContaining("the image declares no settings extension");
    }

    @Test
    void aBundleReadsBackAsItWasWritten() throws Exception {
        bundle().write(dir.resolve("settings"));
        SettingsBundle read = SettingsBundle.read(dir.resolve("settings"));

        assertThat(read.fragments()).isEqualTo(bundle().fragments());
        assertThat(read.templates()).isEqualTo(bundle().templates());
        assertThat(read.extensions()).extracting(SettingsBundle.ExtensionFiles::source).containsExactly(
                "package motd-pkg /usr/share/twoliter/settings/extensions/motd/extension.toml",
                "package ntp-pkg /usr/share/twoliter/settings/extensions/ntp/extension.toml");
        assertThat(SettingsCheck.defaults(read, "m").files()).isEqualTo(SettingsCheck.defaults(bundle(), "m").files());
    }

    @Test
    void aMissingBundleSaysToBuildFirst() {
        assertThatThrownBy(() -> SettingsBundle.read(dir.resolve("none")))
                .hasMessageContaining("build the variant first (mvn package;");
    }

    @Test
    void theReferenceListsEverySettingWithTypeDefaultAndDescription() throws Exception {
        String reference = SettingsReference.markdown("com.example:os", SettingsCheck.defaults(bundle(), "m"));

        assertThat(reference).contains("## motd v1")
                .contains("| `settings.motd` | string, maxLength 40 | `\"hello\"` | The message of the day. |")
                .contains("| `settings.ntp.time-servers` | list of string, pattern \"^[a-z0-9.-]+$\", maxItems 4 |"
                        + " `[\"a.example.net\"]` | Servers to ask. |");
    }
}
