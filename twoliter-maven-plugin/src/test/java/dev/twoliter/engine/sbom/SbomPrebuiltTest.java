package dev.twoliter.engine.sbom;

import static dev.twoliter.engine.sbom.SbomFixtures.hex;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import org.cyclonedx.model.Bom;
import org.cyclonedx.model.Component;
import org.cyclonedx.model.ExternalReference;
import org.cyclonedx.model.Property;
import org.junit.jupiter.api.Test;

/** A prebuilt RPM is marked in both formats, on the package and on the file it was taken from. */
class SbomPrebuiltTest {
    private static final SbomPackage.SourceArchive AGENT_RPM = new SbomPackage.SourceArchive(
            "prebuilt/agent-latest.rpm", hex(128, '7'), Optional.of("https://vendor.example/agent-latest.rpm"));

    private static List<SbomPackage> packages() {
        SbomPackage built = SbomFixtures.rpm("greet", "MIT");
        SbomPackage prebuilt = new SbomPackage("agent", 0, "2.1", "4", "x86_64", "Apache-2.0", "local module x:agent",
                "agent-2.1-4.x86_64.rpm", hex(64, '8'), Optional.empty(), Optional.empty(), Optional.empty(),
                List.of(AGENT_RPM));
        return List.of(built, prebuilt);
    }

    @Test
    void onlyPackagesFromAPrebuiltFileArePrebuilt() {
        assertThat(packages()).extracting(SbomPackage::prebuilt).containsExactly(false, true);
        assertThat(new SbomPackage.SourceArchive("vendor/x@1", hex(128, '1')).prebuilt()).isFalse();
    }

    @Test
    void cycloneDxMarksThePackageAndItsFile() {
        Bom bom = SbomCycloneDxTest.bom(SbomFixtures.variant(), packages());
        Component agent = bom.getComponents().stream().filter(c -> c.getName().equals("agent")).findFirst()
                .orElseThrow();
        assertThat(agent.getProperties()).extracting(Property::getName, Property::getValue)
                .contains(org.assertj.core.groups.Tuple.tuple("twoliter:prebuilt", "true"));
        assertThat(agent.getLicenses().getLicenses()).extracting(l -> l.getId()).containsExactly("Apache-2.0");
        Component file = agent.getPedigree().getAncestors().getComponents().get(0);
        assertThat(file.getName()).isEqualTo("prebuilt/agent-latest.rpm");
        assertThat(file.getProperties()).extracting(Property::getName).containsExactly("twoliter:prebuilt");
        assertThat(file.getExternalReferences()).singleElement().satisfies(r -> {
            assertThat(r.getType()).isEqualTo(ExternalReference.Type.DISTRIBUTION);
            assertThat(r.getUrl()).isEqualTo("https://vendor.example/agent-latest.rpm");
        });
        Component greet = bom.getComponents().stream().filter(c -> c.getName().equals("greet")).findFirst()
                .orElseThrow();
        assertThat(greet.getProperties()).extracting(Property::getName).doesNotContain("twoliter:prebuilt");
    }

    @Test
    void spdxSaysSoInComments() {
        JsonNode doc = SbomSpdxTest.spdx(SbomFixtures.variant(), packages());
        JsonNode agent = null;
        JsonNode file = null;
        for (JsonNode p : doc.path("packages")) {
            if (p.path("name").asText().equals("agent")) {
                agent = p;
            } else if (p.path("name").asText().equals("prebuilt/agent-latest.rpm")) {
                file = p;
            }
        }
        assertThat(agent).isNotNull();
        assertThat(agent.path("comment").asText()).isEqualTo(SpdxWriter.PREBUILT_COMMENT);
        assertThat(agent.path("licenseDeclared").asText()).isEqualTo("Apache-2.0");
        assertThat(file).isNotNull();
        assertThat(file.path("comment").asText()).contains("prebuilt RPM");
        assertThat(file.path("downloadLocation").asText()).isEqualTo("https://vendor.example/agent-latest.rpm");
        assertThat(file.path("primaryPackagePurpose").asText()).isEqualTo("INSTALL");
    }
}
