package dev.twoliter.engine.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;

class SettingsValidationTest {
    private static final String MOTD = """
            {"type": "object", "properties": {"text": {"type": "string", "maxLength": 200}}}""";
    private static final String NTP = """
            {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
             "required": ["time-servers"],
             "properties": {
               "time-servers": {"type": "array", "minItems": 1,
                                "items": {"type": "string", "pattern": "^[a-z0-9.-]+$"}},
               "poll": {"type": "integer", "minimum": 4, "maximum": 17},
               "options": {"type": "object", "properties": {"iburst": {"type": "boolean"}}}}}""";

    private final Map<String, SettingsModel> models = new LinkedHashMap<>();
    private final Map<String, String> origins = new LinkedHashMap<>();

    SettingsValidationTest() throws SettingsException {
        models.put("motd", SettingsModel.load("motd", "v1", "motd-pkg:/usr/share/twoliter/settings/motd.json",
                MOTD.getBytes(StandardCharsets.UTF_8)));
        models.put("ntp", SettingsModel.load("ntp", "v1", "ntp-pkg:/usr/share/twoliter/settings/ntp.json",
                NTP.getBytes(StandardCharsets.UTF_8)));
    }

    /** The dotted keys and values of a TOML text, as the merge gives them, with their lines as origins. */
    private Map<String, Object> settings(String name, String toml) {
        TomlParseResult parsed = Toml.parse(toml);
        assertThat(parsed.errors()).isEmpty();
        Map<String, Object> flat = new LinkedHashMap<>();
        for (String key : parsed.dottedKeySet()) {
            Object value = parsed.get(Toml.parseDottedKey(key));
            if (!(value instanceof org.tomlj.TomlTable)) {
                flat.put(key, value);
                origins.put(key, name + ":" + parsed.inputPositionOf(Toml.parseDottedKey(key)).line());
            }
        }
        return flat;
    }

    @Test
    void settingsThatFitTheirModelsPass() throws SettingsException {
        Map<String, Object> good = settings("defaults.toml", """
                [settings.motd]
                text = "hello"
                [settings.ntp]
                time-servers = ["0.pool.ntp.org", "1.pool.ntp.org"]
                poll = 6
                options.iburst = true
                [services.motd]
                configuration-files = ["motd"]
                """);

        assertThat(SettingsValidation.violations(good, origins, models)).isEmpty();
        SettingsValidation.check(good, origins, models, "the defaults");
    }

    @Test
    void eachViolationNamesTheKeyWhatTheModelExpectsAndWhereItWasSet() {
        Map<String, Object> bad = settings("fleet.toml", """
                [settings.motd]
                text = 42
                [settings.ntp]
                time-servers = ["ok.example", "Not Valid!"]
                poll = 99
                options.iburts = true
                [settings.mtod]
                text = "typo"
                """);

        List<SettingsValidation.Violation> violations = SettingsValidation.violations(bad, origins, models);

        assertThat(violations).extracting(SettingsValidation.Violation::key).containsExactly(
                "settings.motd.text", "settings.mtod.text", "settings.ntp.options.iburts", "settings.ntp.poll",
                "settings.ntp.time-servers[1]");
        assertThat(violations.get(0).origin()).isEqualTo("fleet.toml:2");
        assertThat(violations.get(0).problem()).contains("string").contains("extension motd v1 (motd-pkg:");
        assertThat(violations.get(1).problem()).isEqualTo("no extension defines settings.mtod (extensions: motd, ntp)");
        assertThat(violations.get(1).origin()).isEqualTo("fleet.toml:8");
        assertThat(violations.get(2).problem()).startsWith("unknown key: the model does not define it");
        assertThat(violations.get(2).origin()).isEqualTo("fleet.toml:6");
        assertThat(violations.get(3).problem()).contains("17");
        assertThat(violations.get(4).problem()).contains("pattern");
        assertThat(violations.get(4).origin()).isEqualTo("fleet.toml:4");
    }

    @Test
    void aMissingRequiredKeyIsNamed() {
        Map<String, Object> missing = settings("defaults.toml", """
                [settings.ntp]
                poll = 6
                """);

        assertThatThrownBy(() -> SettingsValidation.check(missing, origins, models, "The image's default settings"))
                .isInstanceOf(SettingsException.class)
                .hasMessageStartingWith("The image's default settings do not fit the settings models (1 problem):")
                .hasMessageContaining("settings.ntp.time-servers: missing; the model requires it (extension ntp v1");
    }

    @Test
    void aValueWhereTheExtensionsTableBelongsIsRefused() {
        Map<String, Object> flat = settings("defaults.toml", "settings.motd = \"hi\"\nsettings.ntp.time-servers = [\"a\"]\n");

        assertThat(SettingsValidation.violations(flat, origins, models)).singleElement()
                .satisfies(v -> assertThat(v.key()).isEqualTo("settings.motd"))
                .satisfies(v -> assertThat(v.problem()).startsWith("string found, object expected"))
                .satisfies(v -> assertThat(v.origin()).isEqualTo("defaults.toml:1"));
    }

    @Test
    void anExtensionWhoseModelIsOneValueIsCheckedAsThatValue() throws SettingsException {
        Map<String, SettingsModel> scalar = Map.of("motd", SettingsModel.load("motd", "v1", "motd-pkg",
                "{\"type\": \"string\", \"maxLength\": 5}".getBytes(StandardCharsets.UTF_8)));

        assertThat(SettingsValidation.violations(settings("a.toml", "settings.motd = \"hi\"\n"), origins, scalar))
                .isEmpty();
        assertThat(SettingsValidation.violations(Map.of(), origins, scalar)).isEmpty();
        assertThat(SettingsValidation.violations(settings("b.toml", "settings.motd = \"too long\"\n"), origins,
                scalar)).singleElement().satisfies(v -> assertThat(v.toString())
                        .startsWith("settings.motd (b.toml:1): must be at most 5 characters long"));
    }

    @Test
    void manyViolationsAreCountedBeyondTheListed() {
        StringBuilder toml = new StringBuilder("settings.ntp.time-servers = [\"a\"]\n[settings.unknown]\n");
        for (int i = 0; i < SettingsValidation.MAX_LISTED + 5; i++) {
            toml.append("k").append(i).append(" = 1\n");
        }
        Map<String, Object> flat = settings("many.toml", toml.toString());

        assertThatThrownBy(() -> SettingsValidation.check(flat, origins, models, "User data"))
                .hasMessageContaining("(30 problems)").hasMessageEndingWith("… and 5 more");
    }
}
