package dev.twoliter.engine.settings.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StdHelpersTest {
    private static final String NAME = "test-pkg:/usr/share/templates/x";

    /** Renders {@code body} with {@code helper} declared and {@code value} as settings.foo.value. */
    private static String render(String helper, String body, Object value) throws SettingsTemplateException {
        Map<String, Object> foo = new HashMap<>();
        if (value != null) {
            foo.put("value", value);
        }
        return template(helper, body).render(Map.of("settings", Map.of("foo", foo), "os", Map.of("arch", "x86_64")));
    }

    private static SettingsTemplate template(String helper, String body) throws SettingsTemplateException {
        return SettingsTemplate.parse(NAME, "[required-extensions]\nstd = { version = \"v1\", helpers = [\"" + helper
                + "\"] }\nfoo = \"v1\"\n+++\n" + body);
    }

    private static void fails(String helper, String body, Object value, String... messageParts) {
        assertThatThrownBy(() -> render(helper, body, value))
                .isInstanceOf(SettingsTemplateException.class)
                .hasMessageContaining(NAME)
                .hasMessageContainingAll(messageParts);
    }

    @Test
    void theStdSetIsBottlerocketsFifteen() {
        assertThat(StdHelpers.NAMES).containsExactly("any_enabled", "base64_decode", "default", "goarch",
                "if_not_null", "is_array", "is_bool", "is_null", "is_number", "is_object", "is_string", "join_array",
                "join_map", "negate_or_else", "toml_encode");
    }

    @Test
    void base64DecodeDecodesUtf8() throws Exception {
        assertThat(render("base64_decode", "{{base64_decode settings.foo.value}}", "SGk=")).isEqualTo("Hi");
    }

    @Test
    void base64DecodeRefusesBadInput() {
        fails("base64_decode", "{{base64_decode settings.foo.value}}", "hi", "base64_decode", "unable to decode");
        fails("base64_decode", "{{base64_decode settings.foo.value}}", "wygK", "non-utf8");
        fails("base64_decode", "{{base64_decode settings.foo.value}}", 42L, "expected string", "42");
        fails("base64_decode", "{{base64_decode}}", "SGk=", "'base64_decode'", "1 expected, 0 received");
        fails("base64_decode", "{{base64_decode settings.foo.value settings.foo.value}}", "SGk=",
                "1 expected, 2 received");
    }

    @Test
    void defaultWritesTheValueOrTheDefault() throws Exception {
        assertThat(render("default", "{{default \"42\" settings.foo.value}}", "hi")).isEqualTo("hi");
        assertThat(render("default", "{{default \"42\" settings.foo.value}}", null)).isEqualTo("42");
        assertThat(render("default", "{{default \"42\" settings.foo.value}}", true)).isEqualTo("true");
        assertThat(render("default", "{{default \"42\" settings.foo.value}}", 42.42)).isEqualTo("42.42");
        assertThat(render("default", "{{default 42 settings.foo.value}}", null)).isEqualTo("42");
        assertThat(render("default", "{{default true settings.foo.value}}", null)).isEqualTo("true");
        assertThat(render("default", "{{default 1 settings.foo.value}}", "<&>")).isEqualTo("<&>");
    }

    @Test
    void defaultRefusesCompositesAndWrongCounts() {
        fails("default", "{{default \"42\" settings.foo.value}}", List.of("a"), "expected scalar");
        fails("default", "{{default settings.foo.value \"x\"}}", Map.of("a", "b"), "expected non-null scalar");
        fails("default", "{{default \"42\"}}", null, "2 expected, 1 received");
    }

    @Test
    void joinArrayQuotesAndJoins() throws Exception {
        String body = "{{join_array \", \" settings.foo.value}}";
        assertThat(render("join_array", body, List.of())).isEqualTo("");
        assertThat(render("join_array", body, List.of("a"))).isEqualTo("\"a\"");
        assertThat(render("join_array", body, List.of("a", "", "a"))).isEqualTo("\"a\", \"\", \"a\"");
        assertThat(render("join_array", "{{join_array \"~ \" settings.foo.value}}", List.of("a", "b", "c")))
                .isEqualTo("\"a\"~ \"b\"~ \"c\"");
    }

    @Test
    void joinArrayRefusesNonStrings() {
        fails("join_array", "{{join_array \", \" settings.foo.value}}", List.of("a", 1L), "array of strings");
        fails("join_array", "{{join_array \", \" settings.foo.value}}", "a", "expected array");
        fails("join_array", "{{join_array 1 settings.foo.value}}", List.of("a"), "expected string");
    }

    @Test
    void joinMapJoinsInKeyOrder() throws Exception {
        String body = "{{join_map \"=\" \",\" \"fail-if-missing\" settings.foo.value}}";
        Map<String, Object> map = new LinkedHashMap<>();
        map.put("whats", "up");
        map.put("hi", "there");
        assertThat(render("join_map", body, map)).isEqualTo("hi=there,whats=up");
        assertThat(render("join_map", body, Map.of("hi", 42L))).isEqualTo("hi=42");
        assertThat(render("join_map", body, Map.of("hi", true))).isEqualTo("hi=true");
        assertThat(render("join_map", "{{join_map \"=\" \",\" \"no-fail-if-missing\" settings.foo.value}}", null))
                .isEqualTo("");
    }

    @Test
    void joinMapRefusesNestingMissingAndBadModes() {
        String body = "{{join_map \"=\" \",\" \"fail-if-missing\" settings.foo.value}}";
        fails("join_map", body, Map.of("hi", Map.of("too", "deep")), "expected scalar");
        fails("join_map", body, null, "fail-if-missing was set");
        fails("join_map", "{{join_map \"=\" \",\" \"sup\" settings.foo.value}}", Map.of(),
                "fail-if-missing or no-fail-if-missing", "\"sup\"");
        fails("join_map", "{{join_map \"=\" \",\" settings.foo.value}}", Map.of(), "4 expected, 3 received");
    }

    @Test
    void ifNotNullTreatsFalsyValuesAsSet() throws Exception {
        String body = "{{#if_not_null settings.foo.value}}foo{{else}}bar{{/if_not_null}}";
        assertThat(render("if_not_null", body, null)).isEqualTo("bar");
        assertThat(render("if_not_null", body, 0L)).isEqualTo("foo");
        assertThat(render("if_not_null", body, "")).isEqualTo("foo");
        assertThat(render("if_not_null", body, false)).isEqualTo("foo");
        assertThat(render("if_not_null", body, List.of())).isEqualTo("foo");
        assertThat(render("if_not_null", "{{#if_not_null settings.foo.value}}foo{{/if_not_null}}", null))
                .isEqualTo("");
        fails("if_not_null", "{{#if_not_null}}foo{{/if_not_null}}", null, "1 expected, 0 received");
    }

    @ParameterizedTest
    @CsvSource({"x86_64,amd64", "amd64,amd64", "aarch64,arm64", "arm64,arm64"})
    void goarchMapsArches(String arch, String expected) throws Exception {
        assertThat(render("goarch", "{{goarch settings.foo.value}}", arch)).isEqualTo(expected);
    }

    @Test
    void goarchRefusesUnknownArches() {
        for (String bad : List.of("", "amdarm", "x86", "aarch32")) {
            fails("goarch", "{{goarch settings.foo.value}}", bad, "unknown architecture '" + bad + "'");
        }
        fails("goarch", "{{goarch settings.foo.value}}", 64L, "expected string");
    }

    @Test
    void goarchReadsOsArch() throws Exception {
        assertThat(template("goarch", "{{goarch os.arch}}").render(Map.of("os", Map.of("arch", "aarch64"))))
                .isEqualTo("arm64");
    }

    @Test
    void negateOrElseNegatesOrFallsBack() throws Exception {
        String body = "{{negate_or_else false settings.foo.value}}";
        assertThat(render("negate_or_else", body, true)).isEqualTo("false");
        assertThat(render("negate_or_else", body, false)).isEqualTo("true");
        assertThat(render("negate_or_else", body, null)).isEqualTo("false");
        assertThat(render("negate_or_else", "{{negate_or_else true settings.foo.value}}", null)).isEqualTo("true");
    }

    @Test
    void negateOrElseRefusesNonBooleans() {
        String body = "{{negate_or_else false settings.foo.value}}";
        fails("negate_or_else", body, List.of(), "expected boolean");
        fails("negate_or_else", body, Map.of(), "expected boolean");
        fails("negate_or_else", body, "", "expected boolean");
        fails("negate_or_else", "{{negate_or_else \"no\" settings.foo.value}}", true, "expected boolean");
    }

    @Test
    void anyEnabledLooksForEnabledTrue() throws Exception {
        String body = "{{#if (any_enabled settings.foo.value)}}enabled{{else}}disabled{{/if}}";
        assertThat(render("any_enabled", body, List.of(Map.of("foo", List.of(), "enabled", true))))
                .isEqualTo("enabled");
        assertThat(render("any_enabled", body, Map.of("a", Map.of("enabled", false), "b", Map.of("enabled", true))))
                .isEqualTo("enabled");
        assertThat(render("any_enabled", body, List.of(Map.of("enabled", false)))).isEqualTo("disabled");
        assertThat(render("any_enabled", body, List.of())).isEqualTo("disabled");
        assertThat(render("any_enabled", body, Map.of())).isEqualTo("disabled");
        assertThat(render("any_enabled", body, List.of(Map.of("enabled", "true")))).isEqualTo("disabled");
        assertThat(render("any_enabled", body, List.of(Map.of("name", "fred")))).isEqualTo("disabled");
        assertThat(render("any_enabled", body, Map.of("state", "enabled"))).isEqualTo("disabled");
        fails("any_enabled", "{{any_enabled}}", null, "1 expected, 0 received");
    }

    @ParameterizedTest
    @CsvSource({
        "is_bool,bool", "is_number,long", "is_number,double", "is_string,string", "is_array,array",
        "is_object,object", "is_null,missing"})
    void reflectiveHelpersRecogniseTheirType(String helper, String kind) throws Exception {
        for (String other : List.of("bool", "long", "double", "string", "array", "object", "missing")) {
            boolean same = other.equals(kind) || (helper.equals("is_number") && other.matches("long|double"));
            assertThat(render(helper, "{{#if (" + helper + " settings.foo.value)}}yes{{else}}no{{/if}}",
                    sample(other))).as(helper + " of " + other).isEqualTo(same ? "yes" : "no");
        }
    }

    @Test
    void reflectiveHelpersIgnoreStrictnessAndCountParams() throws Exception {
        assertThat(render("is_null", "{{#if (is_null settings.foo.a.b.c)}}pass{{/if}}", null)).isEqualTo("pass");
        assertThat(render("is_bool", "{{is_bool true}}", null)).isEqualTo("true");
        fails("is_string", "{{is_string \"a\" \"b\"}}", null, "'is_string'", "1 expected, 2 received");
    }

    private static Object sample(String kind) {
        return switch (kind) {
            case "bool" -> false;
            case "long" -> 12L;
            case "double" -> 1.5;
            case "string" -> "hello!";
            case "array" -> List.of(1L, 2L);
            case "object" -> Map.of("inner", "object");
            default -> null;
        };
    }

    @Test
    void tomlEncodeWritesInlineToml() throws Exception {
        String body = "{{toml_encode settings.foo.value}}";
        assertThat(render("toml_encode", body, Map.of("hello", "world"))).isEqualTo("{ hello = \"world\" }");
        assertThat(render("toml_encode", body, List.of())).isEqualTo("[]");
        assertThat(render("toml_encode", body, List.of(""))).isEqualTo("[\"\"]");
        assertThat(render("toml_encode", body, List.of("a", 1L, true, 1.5))).isEqualTo("[\"a\", 1, true, 1.5]");
        assertThat(render("toml_encode", body, Map.of("a b", Map.of()))).isEqualTo("{ \"a b\" = {} }");
    }

    @Test
    void tomlEncodeCannotBeEscapedFrom() throws Exception {
        String body = "{{toml_encode settings.foo.value}}";
        assertThat(render("toml_encode", body, List.of("apiclient set motd=hello', 'echo pwned\"")))
                .isEqualTo("['''apiclient set motd=hello', 'echo pwned\"''']");
        assertThat(render("toml_encode", body, List.of("apiclient set motd=hello\", \"echo pwned\"")))
                .isEqualTo("['apiclient set motd=hello\", \"echo pwned\"']");
        assertThat(render("toml_encode", body, List.of("apiclient set motd=hello\", \"echo pwned\", 'echo pwned2'")))
                .isEqualTo("[\"apiclient set motd=hello\\\", \\\"echo pwned\\\", 'echo pwned2'\"]");
        assertThat(render("toml_encode", body, "a\u0001b")).isEqualTo("\"a\\u0001b\"");
    }

    @Test
    void tomlEncodeRefusesWrongCounts() {
        fails("toml_encode", "{{toml_encode}}", null, "'toml_encode'", "1 expected, 0 received");
    }
}
