package dev.twoliter.engine.sbom;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Both documents pass their official schemas, and the validators do reject what is broken. */
class SbomSchemaValidationTest {
    @Test
    void variantAndKitDocumentsAreSchemaValid() {
        for (SbomSubject subject : List.of(SbomFixtures.variant(), SbomFixtures.kit())) {
            assertThat(SbomSchemas.spdxErrors(Sboms.spdxJson(subject, SbomFixtures.mix()))).isEmpty();
            assertThat(SbomSchemas.cycloneDxErrors(Sboms.cycloneDxJson(subject, SbomFixtures.mix()))).isEmpty();
        }
    }

    @Test
    void emptyPackageListsAreSchemaValid() {
        assertThat(SbomSchemas.spdxErrors(Sboms.spdxJson(SbomFixtures.kit(), List.of()))).isEmpty();
        assertThat(SbomSchemas.cycloneDxErrors(Sboms.cycloneDxJson(SbomFixtures.kit(), List.of()))).isEmpty();
    }

    @Test
    void hostileTextsStillGiveSchemaValidDocuments() {
        SbomPackage controls = new SbomPackage("controls", 0, "1", "1", "x86_64", "\u0001\u0002", "\u00a0",
                "+++", SbomFixtures.hex(64, '5'), java.util.Optional.empty(), java.util.Optional.of("http://[::1]:x/"),
                java.util.Optional.of("\u0007"), List.of(new SbomPackage.SourceArchive("+", SbomFixtures.hex(128, '5'),
                        java.util.Optional.of("ftp://\u00e9xample.com/\u00e9"))));
        List<SbomPackage> packages = List.of(SbomFixtures.hostile("evil"), SbomFixtures.hostile("evil_two"), controls);
        assertThat(SbomSchemas.spdxErrors(Sboms.spdxJson(SbomFixtures.variant(), packages))).isEmpty();
        assertThat(SbomSchemas.cycloneDxErrors(Sboms.cycloneDxJson(SbomFixtures.variant(), packages))).isEmpty();
    }

    @Test
    void theSpdxValidatorRejectsBrokenDocuments() {
        ObjectNode good = (ObjectNode) SbomSchemas.tree(Sboms.spdxJson(SbomFixtures.variant(), SbomFixtures.mix()));
        assertThat(SbomSchemas.spdxErrors(bytes(good))).isEmpty();

        ObjectNode noNamespace = good.deepCopy();
        noNamespace.remove("documentNamespace");
        assertThat(SbomSchemas.spdxErrors(bytes(noNamespace))).anyMatch(m -> m.contains("documentNamespace"));

        ObjectNode badChecksum = good.deepCopy();
        ((ObjectNode) badChecksum.path("packages").path(1).path("checksums").path(0)).put("algorithm", "SHA-256");
        assertThat(SbomSchemas.spdxErrors(bytes(badChecksum))).isNotEmpty();

        ObjectNode badRelationship = good.deepCopy();
        ((ObjectNode) badRelationship.path("relationships").path(0)).put("relationshipType", "OWNS");
        assertThat(SbomSchemas.spdxErrors(bytes(badRelationship))).isNotEmpty();

        ObjectNode unknownField = good.deepCopy();
        ((ObjectNode) unknownField.path("packages").path(0)).put("vendorSecret", "x");
        assertThat(SbomSchemas.spdxErrors(bytes(unknownField))).isNotEmpty();
    }

    @Test
    void theCycloneDxValidatorRejectsBrokenDocuments() {
        ObjectNode good = (ObjectNode) SbomSchemas.tree(Sboms.cycloneDxJson(SbomFixtures.variant(),
                SbomFixtures.mix()));
        assertThat(SbomSchemas.cycloneDxErrors(bytes(good))).isEmpty();

        ObjectNode badSerial = good.deepCopy();
        badSerial.put("serialNumber", "urn:uuid:not-a-uuid");
        assertThat(SbomSchemas.cycloneDxErrors(bytes(badSerial))).isNotEmpty();

        ObjectNode badHash = good.deepCopy();
        ((ObjectNode) badHash.path("components").path(0).path("hashes").path(0)).put("content", "xyz");
        assertThat(SbomSchemas.cycloneDxErrors(bytes(badHash))).isNotEmpty();

        ObjectNode badLicenseId = good.deepCopy();
        ((ObjectNode) findLicenseWithId(badLicenseId)).put("id", "GPLv2+");
        assertThat(SbomSchemas.cycloneDxErrors(bytes(badLicenseId))).isNotEmpty();

        ObjectNode badTimestamp = good.deepCopy();
        ((ObjectNode) badTimestamp.path("metadata")).put("timestamp", "yesterday");
        assertThat(SbomSchemas.cycloneDxErrors(bytes(badTimestamp))).anyMatch(m -> m.contains("timestamp"));

        ObjectNode badUrl = good.deepCopy();
        ((ObjectNode) findWebsite(badUrl)).put("url", "a b");
        assertThat(SbomSchemas.cycloneDxErrors(bytes(badUrl))).anyMatch(m -> m.contains("url"));

        ObjectNode noName = good.deepCopy();
        ((ObjectNode) noName.path("components").path(0)).remove("name");
        assertThat(SbomSchemas.cycloneDxErrors(bytes(noName))).isNotEmpty();
    }

    private static com.fasterxml.jackson.databind.JsonNode findWebsite(ObjectNode bom) {
        for (var component : bom.path("components")) {
            for (var reference : component.path("externalReferences")) {
                return reference;
            }
        }
        throw new AssertionError("no external reference in the fixture");
    }

    private static com.fasterxml.jackson.databind.JsonNode findLicenseWithId(ObjectNode bom) {
        for (var component : bom.path("components")) {
            for (var license : component.path("licenses")) {
                if (license.path("license").has("id")) {
                    return license.path("license");
                }
            }
        }
        throw new AssertionError("no license with an id in the fixture");
    }

    private static byte[] bytes(ObjectNode node) {
        return node.toPrettyString().getBytes(StandardCharsets.UTF_8);
    }
}
