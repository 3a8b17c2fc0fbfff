package dev.twoliter.engine.settings.template;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SettingsTemplateTest {
    private static final String NAME = "os-pkg:/usr/share/templates/motd";

    private static SettingsTemplate parse(String text) throws SettingsTemplateException {
        return SettingsTemplate.parse(NAME, text);
    }

    private static void refused(String text, String... messageParts) {
        assertThatThrownBy(() -> parse(text))
                .isInstanceOf(SettingsTemplateException.class)
                .hasMessageStartingWith(NAME)
                .hasMessageContainingAll(messageParts);
    }

    @Test
    void nestedLoopsOverLargeListsAreCutOffNotRunForHours() throws Exception {
        List<Long> thousands = java.util.stream.LongStream.range(0, 2000).boxed().toList();
        SettingsTemplate nested = parse("[required-extensions]\nx = \"v1\"\n+++\n"
                + "{{#each settings.x.a}}{{#each ../settings.x.a}}.{{/each}}{{/each}}");

        assertThatThrownBy(() -> nested.render(Map.of("settings", Map.of("x", Map.of("a", thousands)))))
                .isInstanceOf(SettingsTemplateException.class)
                .hasMessageContaining("ran more than 1000000 iterations in one render");
        // One loop over the same list, rendered again: the count is per render.
        SettingsTemplate single = parse("[required-extensions]\nx = \"v1\"\n+++\n{{#each settings.x.a}}.{{/each}}");
        for (int i = 0; i < 3; i++) {
            assertThat(single.render(Map.of("settings", Map.of("x", Map.of("a", thousands))))).hasSize(2000);
        }
    }

    @Test
    void rendersBottlerocketsMotdTemplate() throws Exception {
        SettingsTemplate motd = parse("[required-extensions]\nmotd = \"v1\"\n+++\n{{settings.motd}}");
        assertThat(motd.requiredExtensions()).containsExactly(
                Map.entry("motd", new ExtensionRequirement("motd", "v1", List.of())));
        assertThat(motd.displayName()).isEqualTo(NAME);
        assertThat(motd.render(Map.of("settings", Map.of("motd", "Welcome to Bottlerocket!"))))
                .isEqualTo("Welcome to Bottlerocket!");
    }

    @Test
    void handlebarsRustBuiltInsWorkUndeclared() throws Exception {
        SettingsTemplate t = parse("[required-extensions]\nntp = \"v1\"\n+++\n"
                + "{{#if (eq settings.ntp.mode \"pool\")}}pool{{else}}server{{/if}}"
                + " {{#if (ne settings.ntp.mode \"pool\")}}ne{{/if}}"
                + " {{#if (gt settings.ntp.poll 4)}}gt{{/if}}{{#if (gte settings.ntp.poll 6)}}gte{{/if}}"
                + "{{#if (lt settings.ntp.poll 4)}}lt{{/if}}{{#if (lte settings.ntp.poll 6)}}lte{{/if}}"
                + " {{#if (lt settings.ntp.mode 4)}}no-order{{/if}}"
                + " {{#if (and settings.ntp.enabled (not settings.ntp.off))}}and{{/if}}"
                + "{{#if (or settings.ntp.off settings.ntp.enabled)}}or{{/if}}"
                + " {{len settings.ntp.servers}}");
        Map<String, Object> ntp = new LinkedHashMap<>();
        ntp.put("mode", "pool");
        ntp.put("poll", 6L);
        ntp.put("enabled", true);
        ntp.put("off", false);
        ntp.put("servers", List.of("a", "b", "c"));

        assertThat(t.render(Map.of("settings", Map.of("ntp", ntp)))).isEqualTo("pool  gtgtelte  andor 3");
    }

    @Test
    void rendersAnNtpTemplateWithHyphenatedKeys() throws Exception {
        SettingsTemplate ntp = parse("[required-extensions]\nntp = \"v1\"\n+++\n"
                + "{{#each settings.ntp.time-servers}}server {{this}} iburst\n{{/each}}");
        assertThat(ntp.render(Map.of("settings", Map.of("ntp", Map.of("time-servers",
                List.of("169.254.169.123", "2.amazon.pool.ntp.org"))))))
                .isEqualTo("server 169.254.169.123 iburst\nserver 2.amazon.pool.ntp.org iburst\n");
    }

    @Test
    void readsStdHelpersFromTheInlineTable() throws Exception {
        SettingsTemplate template = parse("[required-extensions]\nstd = { version = \"v1\", helpers = [\"default\", "
                + "\"join_array\"] }\nkernel = \"v1\"\n+++\n{{default \"x\" settings.kernel.name}} "
                + "{{join_array \",\" settings.kernel.list}}");
        assertThat(template.requiredExtensions().get("std").helpers()).containsExactly("default", "join_array");
        assertThat(template.render(Map.of("settings", Map.of("kernel", Map.of("list", List.of("a", "b"))))))
                .isEqualTo("x \"a\",\"b\"");
    }

    @Test
    void doesNotEscapeHtml() throws Exception {
        SettingsTemplate motd = parse("[required-extensions]\nmotd = \"v1\"\n+++\n{{settings.motd}}|{{{settings.motd}}}");
        assertThat(motd.render(Map.of("settings", Map.of("motd", "<a href='x'>&\"</a>"))))
                .isEqualTo("<a href='x'>&\"</a>|<a href='x'>&\"</a>");
    }

    @Test
    void aMissingValueFailsAsInStrictMode() throws Exception {
        SettingsTemplate motd = parse("[required-extensions]\nmotd = \"v1\"\n+++\nline one\n{{settings.motd.text}}");
        assertThatThrownBy(() -> motd.render(Map.of("settings", Map.of("motd", Map.of()))))
                .isInstanceOf(SettingsTemplateException.class)
                .hasMessageStartingWith(NAME + ":5:")
                .hasMessageContainingAll("settings.motd.text", "is not set", "{{#if}}");
    }

    @Test
    void missingValuesMayBeTestedAndDefaulted() throws Exception {
        SettingsTemplate motd = parse("[required-extensions]\nmotd = \"v1\"\n+++\n"
                + "{{#if settings.motd.text}}{{settings.motd.text}}{{else}}none{{/if}}");
        assertThat(motd.render(Map.of("settings", Map.of()))).isEqualTo("none");
    }

    @Test
    void eachOverAMissingValueNeedsAnElse() throws Exception {
        SettingsTemplate strict = parse("[required-extensions]\nntp = \"v1\"\n+++\n"
                + "{{#each settings.ntp.time-servers}}{{this}}{{/each}}");
        assertThatThrownBy(() -> strict.render(Map.of("settings", Map.of("ntp", Map.of()))))
                .isInstanceOf(SettingsTemplateException.class)
                .hasMessageContainingAll(NAME + ":4:", "#each", "{{else}}");
        SettingsTemplate withElse = parse("[required-extensions]\nntp = \"v1\"\n+++\n"
                + "{{#each settings.ntp.time-servers}}{{this}}{{else}}none{{/each}}");
        assertThat(withElse.render(Map.of("settings", Map.of("ntp", Map.of())))).isEqualTo("none");
    }

    @Test
    void eachOverAMapGoesInKeyOrderWithKeys() throws Exception {
        SettingsTemplate template = parse("[required-extensions]\nkernel = \"v1\"\n+++\n"
                + "{{#each settings.kernel.sysctl}}{{@key}} = {{this}}\n{{/each}}");
        Map<String, Object> sysctl = new LinkedHashMap<>();
        sysctl.put("vm.b", "2");
        sysctl.put("net.a", 1L);
        assertThat(template.render(Map.of("settings", Map.of("kernel", Map.of("sysctl", sysctl)))))
                .isEqualTo("net.a = 1\nvm.b = 2\n");
    }

    @Test
    void refusesAReferenceToAnUndeclaredExtension() {
        refused("[required-extensions]\nmotd = \"v1\"\n+++\n{{settings.motd}}\n{{settings.ntp.time-servers}}",
                NAME + ":5:", "settings.ntp.time-servers", "'ntp'", "declares motd", "ntp = \"v1\"");
        refused("+++\n{{#each settings.ntp.servers}}{{this}}{{/each}}", "'ntp'", "declares none");
        refused("[required-extensions]\nstd = { version = \"v1\", helpers = [\"default\"] }\n+++\n"
                + "{{default \"x\" settings.kernel.name}}", "settings.kernel.name", "'kernel'");
        refused("[required-extensions]\nmotd = \"v1\"\n+++\n{{#with settings.motd}}{{../settings.ntp}}{{/with}}",
                "'ntp'");
        refused("[required-extensions]\nmotd = \"v1\"\n+++\n{{@root.settings.[ntp].x}}", "'ntp'");
    }

    @Test
    void refusesReadingAllOfSettings() {
        refused("[required-extensions]\nmotd = \"v1\"\n+++\n{{lookup settings \"ntp\"}}", "all of settings");
    }

    @Test
    void relativeReferencesInsideBlocksAreFine() throws Exception {
        SettingsTemplate template = parse("[required-extensions]\nhost-containers = \"v1\"\n+++\n"
                + "{{#each settings.host-containers}}{{@key}}:{{source}};{{/each}}");
        assertThat(template.render(Map.of("settings", Map.of("host-containers",
                Map.of("admin", Map.of("source", "a"), "control", Map.of("source", "c"))))))
                .isEqualTo("admin:a;control:c;");
    }

    @Test
    void refusesAnUndeclaredStdHelper() {
        refused("[required-extensions]\nntp = \"v1\"\n+++\n{{join_array \", \" settings.ntp.servers}}",
                NAME + ":4:", "join_array", "helpers = [\"join_array\"]");
        refused("[required-extensions]\nstd = { version = \"v1\", helpers = [\"default\"] }\nos = \"v1\"\n+++\n"
                + "{{#if (is_bool os.arch)}}x{{/if}}", "is_bool", "without declaring it");
    }

    @Test
    void refusesUnknownHelpers() {
        refused("+++\n\n{{frobnicate os.arch}}", NAME + ":3:", "frobnicate", "std helpers named in the front matter");
        refused("+++\n{{#precompile \"x\"}}{{/precompile}}", "'precompile'", "neither a Handlebars built-in");
        refused("[required-extensions]\nkubernetes = { version = \"v1\", helpers = [\"join_node_taints\"] }\n+++\n",
                NAME + ":2:", "join_node_taints", "only the std extension's helpers");
        refused("[required-extensions]\nstd = { version = \"v1\", helpers = [\"reticulate\"] }\n+++\n",
                "std has no helper 'reticulate'");
    }

    @Test
    void refusesPartials() {
        assertThatThrownBy(() -> parse("+++\n{{> header}}").render(Map.of()))
                .isInstanceOf(SettingsTemplateException.class)
                .hasMessageContaining("partials");
    }

    @Test
    void frontMatterErrorsNameTheLine() {
        refused("# comment\n[required-extensions]\nmotd = \"v1\n+++\nbody", NAME + ":3:", "not valid TOML");
        refused("[required-extensions]\nmotd = \"v1\"\nNTP = \"v1\"\n+++\n", NAME + ":3:", "'NTP' is not valid");
        refused("[required-extensions]\nmotd = \"v1\"\nntp = \"1.0\"\n+++\n", NAME + ":3:", "'1.0'", "\"v1\"");
        refused("[required-extensions]\nntp = 1\n+++\n", NAME + ":2:", "version string");
        refused("[required-extensions]\nstd = { helpers = [\"default\"] }\n+++\n", NAME + ":2:", "needs a version");
        refused("[required-extensions]\nstd = { version = \"v1\", helpers = \"default\" }\n+++\n", "list of names");
        refused("[required-extensions]\nstd = { version = \"v1\", extra = 1 }\n+++\n", "'extra'");
        refused("title = \"x\"\n+++\n", NAME + ":1:", "'title'", "Only [required-extensions]");
        refused("required-extensions = \"motd\"\n+++\n", "must be a table");
    }

    @Test
    void refusesATemplateWithoutSeparator() {
        refused("[required-extensions]\nmotd = \"v1\"\n{{settings.motd}}", NAME + ":1:", "no line '+++'");
        refused("[required-extensions]\nmotd = \"v1\"\n+++ \n{{settings.motd}}", "no line '+++'");
    }

    @Test
    void bodyStartsAfterTheFirstSeparatorLine() throws Exception {
        assertThat(parse("+++\r\n+++\n").render(Map.of())).isEqualTo("+++\n");
        assertThat(parse("+++").render(Map.of())).isEmpty();
    }

    @Test
    void refusesOversizedTemplates() {
        refused("+++\n" + "x".repeat(SettingsTemplate.MAX_CHARS), "at most " + SettingsTemplate.MAX_CHARS);
    }

    @Test
    void handlebarsSyntaxErrorsNameTheFileLine() {
        refused("[required-extensions]\nmotd = \"v1\"\n+++\nok\n{{settings.motd", NAME + ":5:",
                "not a valid Handlebars template");
    }

    @Test
    void helperFailuresNameTheTemplateAndLine() throws Exception {
        SettingsTemplate template = parse("[required-extensions]\nstd = { version = \"v1\", helpers = [\"goarch\"] }\n"
                + "+++\n\n\n{{goarch os.arch}}");
        assertThatThrownBy(() -> template.render(Map.of("os", Map.of("arch", "riscv64"))))
                .isInstanceOf(SettingsTemplateException.class)
                .hasMessageStartingWith(NAME + ":6:")
                .hasMessageContaining("unknown architecture 'riscv64'");
    }

    @Test
    void refusesContextValuesThatAreNotSettings() throws Exception {
        SettingsTemplate motd = parse("[required-extensions]\nmotd = \"v1\"\n+++\n{{settings.motd}}");
        assertThatThrownBy(() -> motd.render(Map.of("settings", Map.of("motd", new Object()))))
                .isInstanceOf(SettingsTemplateException.class)
                .hasMessageContainingAll(NAME, "context.settings.motd", "java.lang.Object");
    }

    @Test
    void numbersRenderAsBottlerocketWritesThem() throws Exception {
        SettingsTemplate template = parse("[required-extensions]\nkernel = \"v1\"\n+++\n"
                + "{{settings.kernel.a}} {{settings.kernel.b}} {{settings.kernel.c}}");
        assertThat(template.render(Map.of("settings", Map.of("kernel", Map.of("a", 42, "b", 42.5, "c", true)))))
                .isEqualTo("42 42.5 true");
    }
}
