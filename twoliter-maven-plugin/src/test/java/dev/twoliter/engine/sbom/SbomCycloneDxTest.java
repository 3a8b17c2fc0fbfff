package dev.twoliter.engine.sbom;

import static dev.twoliter.engine.sbom.SbomFixtures.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import org.cyclonedx.exception.ParseException;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.Dependency;
import org.cyclonedx.model.ExternalReference;
import org.cyclonedx.model.Property;
import org.cyclonedx.parsers.JsonParser;
import org.junit.jupiter.api.Test;

class SbomCycloneDxTest {
    @Test
    void metadataDescribesTheSubjectAndTheTool() {
        Bom bom = bom(SbomFixtures.variant(), SbomFixtures.mix());
        assertThat(bom.getSpecVersion()).isEqualTo("1.6");
        assertThat(bom.getSerialNumber()).matches("urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(bom.getVersion()).isEqualTo(1);
        assertThat(bom.getMetadata().getTimestamp().toInstant()).isEqualTo(SbomFixtures.BUILD_TIME);
        Component tool = bom.getMetadata().getToolChoice().getComponents().get(0);
        assertThat(tool.getName()).isEqualTo("twoliter-maven-plugin");
        assertThat(tool.getVersion()).isEqualTo("0.1.0-SNAPSHOT");
        Component main = bom.getMetadata().getComponent();
        assertThat(main.getType()).isEqualTo(Component.Type.OPERATING_SYSTEM);
        assertThat(main.getGroup()).isEqualTo("com.example");
        assertThat(main.getName()).isEqualTo("greet-os");
        assertThat(main.getVersion()).isEqualTo("1.2.0");
        assertThat(main.getPurl()).isEqualTo("pkg:maven/com.example/greet-os@1.2.0");
        assertThat(main.getProperties()).extracting(Property::getName, Property::getValue)
                .contains(org.assertj.core.groups.Tuple.tuple("twoliter:kind", "variant"),
                        org.assertj.core.groups.Tuple.tuple("twoliter:arch", "x86_64"));
        assertThat(bom(SbomFixtures.kit(), List.of()).getMetadata().getComponent().getType())
                .isEqualTo(Component.Type.LIBRARY);
    }

    @Test
    void rpmComponentsCarryTheirFacts() {
        Bom bom = bom(SbomFixtures.variant(), SbomFixtures.mix());
        assertThat(bom.getComponents()).extracting(Component::getName)
                .containsExactly("bash", "glibc", "glibc-devel", "greet", "kernel", "nolicense");
        Component bash = component(bom, "bash");
        assertThat(bash.getType()).isEqualTo(Component.Type.LIBRARY);
        assertThat(bash.getVersion()).isEqualTo("2:5.2.26-1.fc40");
        assertThat(bash.getPurl()).isEqualTo("pkg:rpm/twoliter/bash@5.2.26-1.fc40?arch=x86_64&epoch=2");
        assertThat(bash.getBomRef()).isEqualTo(bash.getPurl());
        assertThat(bash.getSupplier().getName()).isEqualTo("com.example.vendor");
        assertThat(bash.getDescription()).isEqualTo("The GNU Bourne Again shell");
        assertThat(bash.getHashes()).singleElement().satisfies(h -> {
            assertThat(h.getAlgorithm()).isEqualTo("SHA-256");
            assertThat(h.getValue()).isEqualTo(hex(64, 'd'));
        });
        assertThat(bash.getExternalReferences()).as("'not a url' is left out").isNullOrEmpty();
        assertThat(properties(bash)).containsExactly("twoliter:kit=com.example.vendor:core-kit:3.0.1",
                "twoliter:rpm-file=bash-5.2.26-1.fc40.x86_64.rpm");
        assertThat(properties(component(bom, "greet"))).containsExactly("twoliter:rpm-file=greet-0.1-1.noarch.rpm");
        assertThat(component(bom, "glibc").getExternalReferences()).singleElement().satisfies(r -> {
            assertThat(r.getType()).isEqualTo(ExternalReference.Type.WEBSITE);
            assertThat(r.getUrl()).isEqualTo("https://www.gnu.org/software/libc/");
        });
    }

    @Test
    void licensesAreIdsExpressionsOrNames() {
        Bom bom = bom(SbomFixtures.variant(), SbomFixtures.mix());
        assertThat(component(bom, "greet").getLicenses().getLicenses()).singleElement()
                .satisfies(l -> assertThat(l.getId()).isEqualTo("MIT"));
        assertThat(component(bom, "glibc").getLicenses().getExpression().getValue())
                .isEqualTo("LGPL-2.1-or-later AND GPL-2.0-or-later");
        assertThat(component(bom, "kernel").getLicenses().getExpression().getValue())
                .isEqualTo("(GPL-2.0-only WITH Linux-syscall-note) OR BSD-2-Clause");
        assertThat(component(bom, "bash").getLicenses().getLicenses()).singleElement().satisfies(l -> {
            assertThat(l.getId()).isNull();
            assertThat(l.getName()).isEqualTo("GPLv3+");
        });
        assertThat(component(bom, "nolicense").getLicenses()).isNull();
    }

    @Test
    void sourcesAreAncestorsWithSha512() {
        Bom bom = bom(SbomFixtures.variant(), SbomFixtures.mix());
        List<Component> ancestors = component(bom, "glibc-devel").getPedigree().getAncestors().getComponents();
        assertThat(ancestors).extracting(Component::getName).containsExactly("glibc-2.40.tar.xz", "glibc-fix.patch");
        assertThat(ancestors).allSatisfy(a -> {
            assertThat(a.getType()).isEqualTo(Component.Type.FILE);
            assertThat(a.getHashes()).singleElement().satisfies(h -> assertThat(h.getAlgorithm()).isEqualTo("SHA-512"));
        });
        assertThat(ancestors.get(0).getHashes().get(0).getValue()).isEqualTo(hex(128, '1'));
        assertThat(ancestors.get(0).getExternalReferences()).singleElement().satisfies(r -> {
            assertThat(r.getType()).isEqualTo(ExternalReference.Type.SOURCE_DISTRIBUTION);
            assertThat(r.getUrl()).isEqualTo("https://ftp.gnu.org/gnu/glibc/glibc-2.40.tar.xz");
        });
        assertThat(ancestors.get(1).getExternalReferences()).isNullOrEmpty();
        assertThat(component(bom, "bash").getPedigree()).isNull();
    }

    @Test
    void theSubjectDependsOnEveryRpmByUniqueRef() {
        List<SbomPackage> packages = new ArrayList<>(SbomFixtures.mix());
        // The same NEVRA from another kit: same purl, so its ref must differ.
        packages.add(new SbomPackage("bash", 2, "5.2.26", "1.fc40", "x86_64", "GPL-3.0-or-later", "other.vendor",
                "bash-other.rpm", hex(64, '7'), Optional.of("other.vendor:kit:1"), Optional.empty(), Optional.empty(),
                List.of()));
        Bom bom = bom(SbomFixtures.variant(), packages);
        List<String> refs = bom.getComponents().stream().map(Component::getBomRef).toList();
        assertThat(new HashSet<>(refs)).hasSize(packages.size());
        assertThat(bom.getDependencies()).singleElement().satisfies(d -> {
            assertThat(d.getRef()).isEqualTo(bom.getMetadata().getComponent().getBomRef());
            assertThat(d.getDependencies()).extracting(Dependency::getRef).containsExactlyElementsOf(refs);
        });
    }

    @Test
    void hostileTextsSurviveEscaped() {
        Bom bom = bom(SbomFixtures.variant(), List.of(SbomFixtures.hostile("evil")));
        Component evil = component(bom, "evil");
        // The library trims texts and folds whitespace (newlines, tabs) into single spaces; the rest survives.
        String folded = SbomFixtures.HOSTILE.trim().replace("\r\n", " ").replace("\n", " ").replace("\t", " ")
                .replace("\r", " ").replaceAll(" +", " ");
        assertThat(evil.getDescription()).isEqualTo(folded).contains("</script><script>", "\"quoted\"", "\u0000",
                "ünïcødé 𝄞");
        assertThat(evil.getLicenses().getLicenses().get(0).getName()).isEqualTo(folded);
        assertThat(evil.getSupplier().getName()).isEqualTo("Evil (Corp) <evil@example.com>: \"x\"");
        assertThat(evil.getExternalReferences()).as("javascript: is no website").isNullOrEmpty();
        assertThat(evil.getPedigree().getAncestors().getComponents().get(0).getExternalReferences().get(0).getUrl())
                .isEqualTo("https://example.com/evil.tar.gz");
        String text = Sboms.cycloneDxText(SbomFixtures.variant(), List.of(SbomFixtures.hostile("evil")));
        assertThat(text).doesNotContain("secret");
        assertThat(text.chars().filter(c -> c < 0x20 && c != '\n')).isEmpty();
    }

    @Test
    void timestampsAreWrittenToTheSecond() {
        SbomSubject s = SbomFixtures.variant();
        SbomSubject later = new SbomSubject(s.kind(), s.groupId(), s.artifactId(), s.version(), s.arch(), s.toolName(),
                s.toolVersion(), Instant.parse("2030-01-02T03:04:05.678Z"));
        assertThat(Sboms.cycloneDxText(later, List.of())).contains("\"timestamp\": \"2030-01-02T03:04:05Z\"");
        assertThat(Sboms.spdxText(later, List.of())).contains("\"created\": \"2030-01-02T03:04:05Z\"");
    }

    static Bom bom(SbomSubject subject, List<SbomPackage> packages) {
        byte[] bytes = Sboms.cycloneDxJson(subject, packages);
        assertThat(SbomSchemas.cycloneDxErrors(bytes)).isEmpty();
        try {
            return new JsonParser().parse(bytes);
        } catch (ParseException e) {
            throw new AssertionError(e);
        }
    }

    private static Component component(Bom bom, String name) {
        return bom.getComponents().stream().filter(c -> c.getName().equals(name)).findFirst().orElseThrow();
    }

    private static List<String> properties(Component c) {
        return c.getProperties().stream().map(p -> p.getName() + "=" + p.getValue()).toList();
    }
}
