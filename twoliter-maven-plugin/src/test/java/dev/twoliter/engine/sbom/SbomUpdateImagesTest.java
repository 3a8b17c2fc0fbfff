package dev.twoliter.engine.sbom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * The documents published beside a variant's images list its update images: valid against the
 * official schemas, reproducible, and with no update images the same bytes as the in-image ones.
 */
class SbomUpdateImagesTest {
    static List<SbomUpdateImage> grubImages() {
        return List.of(image("boot", "greet-os-1.2.0-boot.ext4.zst", '1', "ext4.zst"),
                image("root", "greet-os-1.2.0-root.ext4.zst", '2', "ext4.zst"),
                image("hash", "greet-os-1.2.0-root-verity.verity.zst", '3', "verity.zst"));
    }

    static SbomUpdateImage image(String image, String file, char digit, String type) {
        String target = "greet-os-x86_64-1.2.0-" + image + "." + type;
        String sha256 = SbomFixtures.hex(64, digit);
        return new SbomUpdateImage(image, file, sha256, target, "targets/" + sha256 + "." + target);
    }

    @Test
    void documentsWithUpdateImagesAreSchemaValid() {
        List<SbomUpdateImage> uki = List.of(image("uki-a", "greet-os-1.2.0-uki-a.efi", '4', "efi"),
                image("uki-b", "greet-os-1.2.0-uki-b.efi", '5', "efi"), grubImages().get(1), grubImages().get(2));
        for (List<SbomUpdateImage> images : List.of(grubImages(), uki)) {
            assertThat(SbomSchemas.spdxErrors(Sboms.spdxJson(SbomFixtures.variant(), SbomFixtures.mix(), images)))
                    .isEmpty();
            assertThat(SbomSchemas.cycloneDxErrors(Sboms.cycloneDxJson(SbomFixtures.variant(), SbomFixtures.mix(),
                    images))).isEmpty();
        }
        assertThat(SbomSchemas.spdxErrors(Sboms.spdxJson(SbomFixtures.variant(), List.of(), grubImages()))).isEmpty();
        assertThat(SbomSchemas.cycloneDxErrors(Sboms.cycloneDxJson(SbomFixtures.variant(), List.of(), grubImages())))
                .isEmpty();
    }

    @Test
    void withoutUpdateImagesTheBytesAreThoseOfTheDocumentWithout() {
        assertThat(Sboms.spdxJson(SbomFixtures.variant(), SbomFixtures.mix(), List.of()))
                .isEqualTo(Sboms.spdxJson(SbomFixtures.variant(), SbomFixtures.mix()));
        assertThat(Sboms.cycloneDxJson(SbomFixtures.variant(), SbomFixtures.mix(), List.of()))
                .isEqualTo(Sboms.cycloneDxJson(SbomFixtures.variant(), SbomFixtures.mix()));
    }

    @Test
    void theSameImagesInAnyOrderGiveTheSameBytesAndOtherDigestsOtherIdentifiers() {
        List<SbomUpdateImage> shuffled = new ArrayList<>(grubImages());
        Collections.reverse(shuffled);
        byte[] spdx = Sboms.spdxJson(SbomFixtures.variant(), SbomFixtures.mix(), grubImages());
        byte[] cdx = Sboms.cycloneDxJson(SbomFixtures.variant(), SbomFixtures.mix(), grubImages());
        assertThat(Sboms.spdxJson(SbomFixtures.variant(), SbomFixtures.mix(), shuffled)).isEqualTo(spdx);
        assertThat(Sboms.cycloneDxJson(SbomFixtures.variant(), SbomFixtures.mix(), shuffled)).isEqualTo(cdx);
        // The namespace and serial number come from the content, images included.
        byte[] plainSpdx = Sboms.spdxJson(SbomFixtures.variant(), SbomFixtures.mix());
        byte[] plainCdx = Sboms.cycloneDxJson(SbomFixtures.variant(), SbomFixtures.mix());
        assertThat(SbomSchemas.tree(spdx).path("documentNamespace").asText())
                .isNotEqualTo(SbomSchemas.tree(plainSpdx).path("documentNamespace").asText());
        assertThat(SbomSchemas.tree(cdx).path("serialNumber").asText())
                .isNotEqualTo(SbomSchemas.tree(plainCdx).path("serialNumber").asText());
        List<SbomUpdateImage> otherRoot = new ArrayList<>(grubImages());
        otherRoot.set(1, image("root", "greet-os-1.2.0-root.ext4.zst", '6', "ext4.zst"));
        assertThat(SbomSchemas.tree(Sboms.cycloneDxJson(SbomFixtures.variant(), SbomFixtures.mix(), otherRoot))
                .path("serialNumber").asText()).isNotEqualTo(SbomSchemas.tree(cdx).path("serialNumber").asText());
    }

    @Test
    void spdxListsEachImageAsAFilePackageTheVariantContains() {
        JsonNode doc = SbomSchemas.tree(Sboms.spdxJson(SbomFixtures.variant(), SbomFixtures.mix(), grubImages()));
        Map<String, JsonNode> files = new TreeMap<>();
        doc.path("packages").forEach(p -> {
            if (p.path("primaryPackagePurpose").asText().equals("FILE")) {
                files.put(p.path("name").asText(), p);
            }
        });
        assertThat(files).containsOnlyKeys("greet-os-1.2.0-boot.ext4.zst", "greet-os-1.2.0-root.ext4.zst",
                "greet-os-1.2.0-root-verity.verity.zst");
        JsonNode root = files.get("greet-os-1.2.0-root.ext4.zst");
        assertThat(root.path("SPDXID").asText()).isEqualTo("SPDXRef-UpdateImage-root");
        assertThat(root.path("versionInfo").asText()).isEqualTo("1.2.0");
        assertThat(root.path("packageFileName").asText()).isEqualTo("greet-os-1.2.0-root.ext4.zst");
        assertThat(root.path("filesAnalyzed").asBoolean(true)).isFalse();
        assertThat(root.path("checksums").path(0).path("algorithm").asText()).isEqualTo("SHA256");
        assertThat(root.path("checksums").path(0).path("checksumValue").asText()).isEqualTo(SbomFixtures.hex(64, '2'));
        Map<String, String> refs = new TreeMap<>();
        root.path("externalRefs").forEach(r -> {
            assertThat(r.path("referenceCategory").asText()).isEqualTo("OTHER");
            refs.put(r.path("referenceType").asText(), r.path("referenceLocator").asText());
        });
        assertThat(refs).containsExactlyInAnyOrderEntriesOf(Map.of("twoliter-update-image", "root",
                "twoliter-update-target", "greet-os-x86_64-1.2.0-root.ext4.zst",
                "twoliter-stored-as", "targets/" + SbomFixtures.hex(64, '2') + ".greet-os-x86_64-1.2.0-root.ext4.zst"));
        List<String> contained = new ArrayList<>();
        doc.path("relationships").forEach(r -> {
            if (r.path("spdxElementId").asText().equals("SPDXRef-Variant-greet-os")
                    && r.path("relationshipType").asText().equals("CONTAINS")) {
                contained.add(r.path("relatedSpdxElement").asText());
            }
        });
        assertThat(contained).contains("SPDXRef-UpdateImage-boot", "SPDXRef-UpdateImage-root",
                "SPDXRef-UpdateImage-hash");
    }

    @Test
    void cycloneDxNestsEachImageAsAFileInTheVariant() {
        JsonNode bom = SbomSchemas.tree(Sboms.cycloneDxJson(SbomFixtures.variant(), SbomFixtures.mix(), grubImages()));
        JsonNode nested = bom.path("metadata").path("component").path("components");
        assertThat(nested).hasSize(3);
        Map<String, JsonNode> byImage = new TreeMap<>();
        for (JsonNode c : nested) {
            Map<String, String> properties = new TreeMap<>();
            c.path("properties").forEach(p -> properties.put(p.path("name").asText(), p.path("value").asText()));
            assertThat(c.path("type").asText()).isEqualTo("file");
            assertThat(c.path("version").asText()).isEqualTo("1.2.0");
            assertThat(properties).containsKeys("twoliter:update-image", "twoliter:update-target", "twoliter:stored-as");
            byImage.put(properties.get("twoliter:update-image"), c);
        }
        assertThat(byImage).containsOnlyKeys("boot", "root", "hash");
        JsonNode hash = byImage.get("hash");
        assertThat(hash.path("name").asText()).isEqualTo("greet-os-1.2.0-root-verity.verity.zst");
        assertThat(hash.path("hashes").path(0).path("alg").asText()).isEqualTo("SHA-256");
        assertThat(hash.path("hashes").path(0).path("content").asText()).isEqualTo(SbomFixtures.hex(64, '3'));
        assertThat(hash.toString()).contains("greet-os-x86_64-1.2.0-hash.verity.zst")
                .contains("targets/" + SbomFixtures.hex(64, '3') + ".greet-os-x86_64-1.2.0-hash.verity.zst");
        // The RPMs and the dependency graph are those of the document without the images.
        JsonNode plain = SbomSchemas.tree(Sboms.cycloneDxJson(SbomFixtures.variant(), SbomFixtures.mix()));
        assertThat(bom.path("components")).isEqualTo(plain.path("components"));
        assertThat(bom.path("dependencies")).isEqualTo(plain.path("dependencies"));
    }

    @Test
    void aKitHasNoUpdateImagesAndAnImageIsListedOnce() {
        assertThatThrownBy(() -> Sboms.spdxJson(SbomFixtures.kit(), List.of(), grubImages()))
                .isInstanceOf(SbomInputException.class).hasMessageContaining("only a variant has them");
        List<SbomUpdateImage> twice = List.of(grubImages().get(0), grubImages().get(0));
        assertThatThrownBy(() -> Sboms.cycloneDxJson(SbomFixtures.variant(), List.of(), twice))
                .isInstanceOf(SbomInputException.class).hasMessageContaining("lists update image boot twice");
        assertThatThrownBy(() -> new SbomUpdateImage("root", "a b", SbomFixtures.hex(64, '1'), "t", "targets/x"))
                .isInstanceOf(SbomInputException.class).hasMessageContaining("file name");
        assertThatThrownBy(() -> new SbomUpdateImage("root", "f", "ABC", "t", "targets/x"))
                .isInstanceOf(SbomInputException.class).hasMessageContaining("sha256");
        assertThatThrownBy(() -> new SbomUpdateImage("Root", "f", SbomFixtures.hex(64, '1'), "t", "targets/x"))
                .isInstanceOf(SbomInputException.class);
    }
}
