package dev.twoliter.engine.sbom;

import static dev.twoliter.engine.sbom.SbomFixtures.hex;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

class SbomSpdxTest {
    private static final Pattern SPDX_ID = Pattern.compile("SPDXRef-[A-Za-z0-9.-]+");
    private static final Pattern LICENSE_REF = Pattern.compile("LicenseRef-[A-Za-z0-9.-]+");

    @Test
    void documentHeaderIsFixedByTheSubject() {
        JsonNode doc = spdx(SbomFixtures.variant(), SbomFixtures.mix());
        assertThat(doc.path("spdxVersion").asText()).isEqualTo("SPDX-2.3");
        assertThat(doc.path("dataLicense").asText()).isEqualTo("CC0-1.0");
        assertThat(doc.path("SPDXID").asText()).isEqualTo("SPDXRef-DOCUMENT");
        assertThat(doc.path("name").asText()).isEqualTo("variant com.example:greet-os:1.2.0 (x86_64)");
        assertThat(doc.path("documentNamespace").asText()).matches("https://spdx\\.org/spdxdocs/twoliter/variant/"
                + "com\\.example/greet-os/1\\.2\\.0/x86_64-[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}");
        assertThat(doc.path("creationInfo").path("created").asText()).isEqualTo("2026-11-28T00:00:00Z");
        assertThat(texts(doc.path("creationInfo").path("creators")))
                .containsExactly("Tool: twoliter-maven-plugin-0.1.0-SNAPSHOT");
        assertThat(doc.path("creationInfo").path("licenseListVersion").asText()).matches("3\\.\\d+");
    }

    @Test
    void namespaceEncodesOddVersionsAndStaysAUri() {
        SbomSubject odd = new SbomSubject(SbomSubject.Kind.KIT, "com.example", "kit", "1.0#frag%20{x}", "x86_64",
                "twoliter-maven-plugin", "1", SbomFixtures.BUILD_TIME);
        String namespace = spdx(odd, List.of()).path("documentNamespace").asText();
        assertThat(namespace).startsWith("https://spdx.org/spdxdocs/twoliter/kit/com.example/kit/1.0%23frag%2520%7Bx%7D/");
        assertThat(java.net.URI.create(namespace).getFragment()).isNull();
    }

    @Test
    void describesTheSubjectWhichContainsEveryRpm() {
        JsonNode doc = spdx(SbomFixtures.kit(), SbomFixtures.mix());
        JsonNode top = doc.path("packages").path(0);
        assertThat(top.path("SPDXID").asText()).isEqualTo("SPDXRef-Kit-core-kit");
        assertThat(top.path("primaryPackagePurpose").asText()).isEqualTo("LIBRARY");
        assertThat(top.path("supplier").asText()).isEqualTo("Organization: com.example.vendor");
        assertThat(top.path("externalRefs").path(0).path("referenceLocator").asText())
                .isEqualTo("pkg:maven/com.example.vendor/core-kit@3.0.1");
        assertThat(relations(doc, "DESCRIBES")).containsExactly("SPDXRef-DOCUMENT>SPDXRef-Kit-core-kit");
        List<String> rpms = rpmIds(doc);
        assertThat(rpms).hasSize(SbomFixtures.mix().size());
        assertThat(relations(doc, "CONTAINS")).containsExactlyElementsOf(
                rpms.stream().map(id -> "SPDXRef-Kit-core-kit>" + id).toList());
        assertThat(spdx(SbomFixtures.variant(), List.of()).path("packages").path(0).path("primaryPackagePurpose")
                .asText()).isEqualTo("OPERATING_SYSTEM");
    }

    @Test
    void rpmPackagesCarryTheirFacts() {
        JsonNode doc = spdx(SbomFixtures.variant(), SbomFixtures.mix());
        JsonNode bash = rpm(doc, "bash");
        assertThat(bash.path("versionInfo").asText()).isEqualTo("2:5.2.26-1.fc40");
        assertThat(bash.path("packageFileName").asText()).isEqualTo("bash-5.2.26-1.fc40.x86_64.rpm");
        assertThat(bash.path("supplier").asText()).isEqualTo("Organization: com.example.vendor");
        assertThat(bash.path("downloadLocation").asText()).isEqualTo("NOASSERTION");
        assertThat(bash.path("filesAnalyzed").asBoolean(true)).isFalse();
        assertThat(bash.path("checksums").path(0).path("algorithm").asText()).isEqualTo("SHA256");
        assertThat(bash.path("checksums").path(0).path("checksumValue").asText()).isEqualTo(hex(64, 'd'));
        assertThat(bash.path("externalRefs").path(0).path("referenceType").asText()).isEqualTo("purl");
        assertThat(bash.path("externalRefs").path(0).path("referenceLocator").asText())
                .isEqualTo("pkg:rpm/twoliter/bash@5.2.26-1.fc40?arch=x86_64&epoch=2");
        assertThat(bash.path("comment").asText()).isEqualTo("From kit com.example.vendor:core-kit:3.0.1");
        assertThat(bash.path("summary").asText()).isEqualTo("The GNU Bourne Again shell");
        assertThat(bash.has("homepage")).as("'not a url' is left out").isFalse();
        assertThat(rpm(doc, "glibc").path("homepage").asText()).isEqualTo("https://www.gnu.org/software/libc/");

        JsonNode local = rpm(doc, "greet");
        assertThat(local.has("comment")).isFalse();
        assertThat(local.path("supplier").asText()).isEqualTo("Organization: local module com.example:greet");
        assertThat(local.path("externalRefs").path(0).path("referenceLocator").asText())
                .isEqualTo("pkg:rpm/twoliter/greet@0.1-1?arch=noarch");
    }

    @Test
    void licensesAreExpressionsOrDefinedLicenseRefs() {
        JsonNode doc = spdx(SbomFixtures.variant(), SbomFixtures.mix());
        assertThat(rpm(doc, "glibc").path("licenseDeclared").asText()).isEqualTo("LGPL-2.1-or-later AND GPL-2.0-or-later");
        assertThat(rpm(doc, "kernel").path("licenseDeclared").asText())
                .isEqualTo("(GPL-2.0-only WITH Linux-syscall-note) OR BSD-2-Clause");
        assertThat(rpm(doc, "nolicense").path("licenseDeclared").asText()).isEqualTo("NOASSERTION");
        assertThat(rpm(doc, "bash").path("licenseDeclared").asText()).isEqualTo("LicenseRef-GPLv3");
        for (JsonNode p : doc.path("packages")) {
            assertThat(p.path("licenseConcluded").asText()).isEqualTo("NOASSERTION");
        }
        JsonNode extracted = extracted(doc).get("LicenseRef-GPLv3");
        assertThat(extracted.path("extractedText").asText()).isEqualTo("GPLv3+");
        assertThat(extracted.path("name").asText()).isEqualTo("GPLv3+");
        assertEveryLicenseRefIsDefined(doc);
    }

    @Test
    void fallbackLicenseIdsAreDeduplicatedAndNeverTakeAPackagersId() {
        List<SbomPackage> packages = List.of(
                SbomFixtures.rpm("a", "GPLv2+"),
                SbomFixtures.rpm("b", "GPLv2+"),
                SbomFixtures.rpm("c", "GPLv2"),
                SbomFixtures.rpm("d", "MIT AND LicenseRef-GPLv2"),
                SbomFixtures.rpm("e", "GPL v2"),
                SbomFixtures.rpm("f", "LicenseRef-gplv2"));
        JsonNode doc = spdx(SbomFixtures.variant(), packages);
        String a = rpm(doc, "a").path("licenseDeclared").asText();
        assertThat(rpm(doc, "b").path("licenseDeclared").asText()).isEqualTo(a);
        // SPDX ids match ignoring case: the packagers' two spellings are one license, spelled one way.
        assertThat(rpm(doc, "d").path("licenseDeclared").asText()).isEqualTo("MIT AND LicenseRef-gplv2");
        assertThat(rpm(doc, "f").path("licenseDeclared").asText()).isEqualTo("LicenseRef-gplv2");
        Map<String, JsonNode> extracted = extracted(doc);
        // GPLv2, GPLv2+ and GPL v2 all reduce to GPLv2 or GPL-v2; none may take the packager's LicenseRef-GPLv2.
        assertThat(extracted.keySet()).containsExactlyInAnyOrder("LicenseRef-gplv2", "LicenseRef-GPL-v2",
                "LicenseRef-GPLv2-2", "LicenseRef-GPLv2-3");
        assertThat(extracted.get("LicenseRef-gplv2").path("extractedText").asText()).isEqualTo("NOASSERTION");
        assertThat(extracted.get("LicenseRef-GPLv2-2").path("extractedText").asText()).isEqualTo("GPLv2");
        assertThat(extracted.get("LicenseRef-GPLv2-3").path("extractedText").asText()).isEqualTo("GPLv2+");
        assertThat(rpm(doc, "c").path("licenseDeclared").asText()).isEqualTo("LicenseRef-GPLv2-2");
        assertThat(a).isEqualTo("LicenseRef-GPLv2-3");
        assertEveryLicenseRefIsDefined(doc);
        assertThat(SbomSchemas.spdxErrors(Sboms.spdxJson(SbomFixtures.variant(), packages))).isEmpty();
    }

    @Test
    void namesThatSanitizeAlikeGetDistinctIds() {
        List<SbomPackage> packages = new ArrayList<>();
        for (String name : List.of("foo_bar", "foo+bar", "foo-bar", "foo.bar", "Foo-bar", "foo-bar-2")) {
            packages.add(SbomFixtures.rpm(name, "MIT"));
        }
        // The same package from two kits: same name, version and arch, different files.
        packages.add(new SbomPackage("foo-bar", 0, "1.0", "1", "x86_64", "MIT", "other.vendor", "foo-bar-other.rpm",
                hex(64, 'b'), Optional.of("other.vendor:kit:1"), Optional.empty(), Optional.empty(), List.of()));
        JsonNode doc = spdx(SbomFixtures.variant(), packages);
        List<String> ids = allIds(doc);
        assertThat(ids).allMatch(id -> SPDX_ID.matcher(id).matches());
        assertThat(new HashSet<>(ids.stream().map(String::toLowerCase).toList())).hasSize(ids.size());
        assertThat(rpmIds(doc)).hasSize(packages.size());
        assertThat(rpm(doc, "foo_bar").path("SPDXID").asText()).startsWith("SPDXRef-RPM-foo-bar-1.0-1.x86-64");
        assertRelationshipsResolve(doc);
    }

    @Test
    void sourcesAreSharedPackagesTheRpmsAreGeneratedFrom() {
        JsonNode doc = spdx(SbomFixtures.variant(), SbomFixtures.mix());
        List<JsonNode> sources = StreamSupport.stream(doc.path("packages").spliterator(), false)
                .filter(p -> p.path("primaryPackagePurpose").asText().equals("SOURCE")).toList();
        assertThat(sources).extracting(p -> p.path("name").asText())
                .containsExactly("glibc-2.40.tar.xz", "glibc-fix.patch", "greet-0.1.tar.gz");
        JsonNode tarball = sources.get(0);
        assertThat(tarball.path("checksums").path(0).path("algorithm").asText()).isEqualTo("SHA512");
        assertThat(tarball.path("checksums").path(0).path("checksumValue").asText()).isEqualTo(hex(128, '1'));
        assertThat(tarball.path("downloadLocation").asText()).isEqualTo("https://ftp.gnu.org/gnu/glibc/glibc-2.40.tar.xz");
        assertThat(sources.get(1).path("downloadLocation").asText()).isEqualTo("NOASSERTION");
        String glibc = rpm(doc, "glibc").path("SPDXID").asText();
        String devel = rpm(doc, "glibc-devel").path("SPDXID").asText();
        String tarId = tarball.path("SPDXID").asText();
        String patchId = sources.get(1).path("SPDXID").asText();
        assertThat(relations(doc, "GENERATED_FROM")).contains(glibc + ">" + tarId, glibc + ">" + patchId,
                devel + ">" + tarId, devel + ">" + patchId);
        assertThat(relations(doc, "GENERATED_FROM")).noneMatch(r -> r.startsWith(rpm(doc, "bash").path("SPDXID").asText()));
        assertRelationshipsResolve(doc);
    }

    @Test
    void hostileTextsRoundTripAndCannotBreakTheDocument() {
        JsonNode doc = spdx(SbomFixtures.variant(), List.of(SbomFixtures.hostile("evil")));
        JsonNode evil = rpm(doc, "evil");
        assertThat(evil.path("summary").asText()).isEqualTo(SbomFixtures.HOSTILE);
        assertThat(evil.path("supplier").asText()).isEqualTo("Organization: Evil [Corp] <evil@example.com>: \"x\"");
        assertThat(evil.has("homepage")).as("javascript: is no homepage").isFalse();
        String ref = evil.path("licenseDeclared").asText();
        assertThat(ref).matches(LICENSE_REF);
        assertThat(extracted(doc).get(ref).path("extractedText").asText()).isEqualTo(SbomFixtures.HOSTILE);
        assertThat(extracted(doc).get(ref).path("name").asText()).doesNotContain("\n", "\r", "\u0000", "\u2028");
        JsonNode source = doc.path("packages").path(2);
        assertThat(source.path("downloadLocation").asText()).as("credentials and fragment dropped")
                .isEqualTo("https://example.com/evil.tar.gz");
        String text = Sboms.spdxText(SbomFixtures.variant(), List.of(SbomFixtures.hostile("evil")));
        assertThat(text).doesNotContain("secret");
        assertThat(text.chars().filter(c -> c < 0x20 && c != '\n')).isEmpty();
    }

    @Test
    void supplierTextsSpdxForbidsStillGiveAgents() {
        assertThat(SpdxWriter.supplier("Example (Europe) Ltd")).isEqualTo("Organization: Example [Europe] Ltd");
        assertThat(SpdxWriter.supplier("  a \u0085 b  ")).isEqualTo("Organization: a b");
        assertThat(SpdxWriter.supplier(" \u00a0")).isEqualTo("NOASSERTION");
    }

    static JsonNode spdx(SbomSubject subject, List<SbomPackage> packages) {
        byte[] bytes = Sboms.spdxJson(subject, packages);
        assertThat(SbomSchemas.spdxErrors(bytes)).isEmpty();
        return SbomSchemas.tree(bytes);
    }

    private static JsonNode rpm(JsonNode doc, String name) {
        for (JsonNode p : doc.path("packages")) {
            if (p.path("name").asText().equals(name) && p.path("SPDXID").asText().startsWith("SPDXRef-RPM-")) {
                return p;
            }
        }
        throw new AssertionError("no RPM package " + name);
    }

    private static List<String> rpmIds(JsonNode doc) {
        return allIds(doc).stream().filter(id -> id.startsWith("SPDXRef-RPM-")).toList();
    }

    private static List<String> allIds(JsonNode doc) {
        return StreamSupport.stream(doc.path("packages").spliterator(), false).map(p -> p.path("SPDXID").asText())
                .toList();
    }

    private static List<String> relations(JsonNode doc, String type) {
        List<String> out = new ArrayList<>();
        for (JsonNode r : doc.path("relationships")) {
            if (r.path("relationshipType").asText().equals(type)) {
                out.add(r.path("spdxElementId").asText() + ">" + r.path("relatedSpdxElement").asText());
            }
        }
        return out;
    }

    private static Map<String, JsonNode> extracted(JsonNode doc) {
        Map<String, JsonNode> out = new HashMap<>();
        for (JsonNode e : doc.path("hasExtractedLicensingInfos")) {
            assertThat(out.put(e.path("licenseId").asText(), e)).as("duplicate license id").isNull();
        }
        return out;
    }

    private static List<String> texts(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }

    private static void assertEveryLicenseRefIsDefined(JsonNode doc) {
        Set<String> defined = extracted(doc).keySet();
        for (JsonNode p : doc.path("packages")) {
            Matcher m = LICENSE_REF.matcher(p.path("licenseDeclared").asText());
            while (m.find()) {
                assertThat(defined).contains(m.group());
            }
        }
        assertThat(defined).allMatch(id -> LICENSE_REF.matcher(id).matches());
    }

    private static void assertRelationshipsResolve(JsonNode doc) {
        Set<String> ids = new HashSet<>(allIds(doc));
        ids.add("SPDXRef-DOCUMENT");
        for (JsonNode r : doc.path("relationships")) {
            assertThat(ids).contains(r.path("spdxElementId").asText(), r.path("relatedSpdxElement").asText());
        }
    }
}
