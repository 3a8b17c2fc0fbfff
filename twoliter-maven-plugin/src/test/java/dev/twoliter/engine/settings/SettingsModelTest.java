package dev.twoliter.engine.settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsModelTest {
    private static SettingsModel load(String json) throws SettingsException {
        return SettingsModel.load("ntp", "v1", "ntp-pkg:ntp.json", json.getBytes(StandardCharsets.UTF_8));
    }

    private static int violations(SettingsModel model, String toml) {
        org.tomlj.TomlParseResult parsed = org.tomlj.Toml.parse(toml);
        Map<String, Object> flat = new java.util.LinkedHashMap<>();
        for (String key : parsed.dottedKeySet()) {
            Object value = parsed.get(org.tomlj.Toml.parseDottedKey(key));
            if (!(value instanceof org.tomlj.TomlTable)) {
                flat.put(key, value);
            }
        }
        return SettingsValidation.violations(flat, Map.of(), Map.of("ntp", model)).size();
    }

    @Test
    void objectsAreClosedUnlessTheModelOpensThem() throws SettingsException {
        SettingsModel closed = load("""
                {"type": "object", "properties": {"a": {"type": "object", "properties": {"b": {"type": "string"}}},
                 "props": {"type": "object", "properties": {"properties": {"type": "string"}}}}}""");
        SettingsModel open = load("""
                {"type": "object", "properties": {"a": {"type": "object", "additionalProperties": {"type": "string"}}}}""");

        assertThat(violations(closed, "settings.ntp.a.b = \"x\"\nsettings.ntp.props.properties = \"y\"\n")).isZero();
        assertThat(violations(closed, "settings.ntp.a.c = \"x\"\n")).isEqualTo(1);
        assertThat(violations(closed, "settings.ntp.other = 1\n")).isEqualTo(1);
        assertThat(violations(open, "settings.ntp.a.anything = \"x\"\n")).isZero();
        assertThat(violations(open, "settings.ntp.a.anything = 1\n")).isEqualTo(1);
    }

    @Test
    void referencesWithinTheModelWorkAndReferencesElsewhereAreRefused() throws SettingsException {
        SettingsModel local = load("""
                {"type": "object", "$defs": {"host": {"type": "string", "maxLength": 5}},
                 "properties": {"server": {"$ref": "#/$defs/host"}}}""");
        assertThat(violations(local, "settings.ntp.server = \"abc\"\n")).isZero();
        assertThat(violations(local, "settings.ntp.server = \"abcdefgh\"\n")).isEqualTo(1);

        assertThatThrownBy(() -> load("""
                {"type": "object", "properties": {"server": {"$ref": "http://127.0.0.1:9/host.json"}}}"""))
                .isInstanceOf(SettingsException.class)
                .hasMessage("ntp-pkg:ntp.json: the model refers to 'http://127.0.0.1:9/host.json'; a model refers only"
                        + " within itself (\"#/$defs/…\"), never to another document.");
    }

    @Test
    void brokenModelsAreRefusedNamingTheirSource() {
        assertThatThrownBy(() -> load("{\"type\": ")).hasMessageStartingWith(
                "ntp-pkg:ntp.json: the model of extension ntp is not JSON");
        assertThatThrownBy(() -> load("[1, 2]")).hasMessage(
                "ntp-pkg:ntp.json: the model of extension ntp is not a JSON Schema object.");
        assertThatThrownBy(() -> load("{\"$schema\": \"http://json-schema.org/draft-04/schema#\"}"))
                .hasMessageContaining("models are JSON Schema draft 2020-12");
        assertThatThrownBy(() -> load("{\"type\": \"object\", \"properties\": {\"a\": {\"type\": 5}}}"))
                .hasMessageStartingWith("ntp-pkg:ntp.json: the model of extension ntp is not a valid JSON Schema");
        assertThatThrownBy(() -> SettingsModel.load("Bad Name", "v1", "x", "{}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("extension name 'Bad Name' is not a name");
        assertThatThrownBy(() -> SettingsModel.load("ntp", "1.0", "x", "{}".getBytes(StandardCharsets.UTF_8)))
                .hasMessageContaining("extension version '1.0' is not a version such as v1");
        byte[] huge = new byte[SettingsModel.MAX_MODEL_BYTES + 1];
        assertThatThrownBy(() -> SettingsModel.load("ntp", "v1", "x", huge)).hasMessageContaining("larger than");
        StringBuilder deep = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            deep.append("{\"not\": ");
        }
        deep.append("true").append("}".repeat(100));
        assertThatThrownBy(() -> load(deep.toString())).hasMessageContaining("nests deeper than 64 levels");
    }
}
