package dev.twoliter.engine.sbom;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SbomReproducibilityTest {
    @Test
    void sameInputsGiveTheSameBytesInAnyOrder(@TempDir Path dir) throws Exception {
        List<SbomPackage> packages = new ArrayList<>(SbomFixtures.mix());
        packages.add(SbomFixtures.hostile("evil"));
        SbomFiles first = Sboms.write(SbomFixtures.variant(), packages, dir.resolve("one"), "greet-os");
        Collections.shuffle(packages, new Random(7));
        // Exact duplicates say nothing new and are dropped.
        packages.add(packages.get(0));
        SbomFiles second = Sboms.write(SbomFixtures.variant(), packages, dir.resolve("two"), "greet-os");
        assertThat(Files.readAllBytes(second.spdx())).isEqualTo(Files.readAllBytes(first.spdx()));
        assertThat(Files.readAllBytes(second.cycloneDx())).isEqualTo(Files.readAllBytes(first.cycloneDx()));
        // Written again over the first: still the same.
        Sboms.write(SbomFixtures.variant(), packages, dir.resolve("one"), "greet-os");
        assertThat(Files.readAllBytes(first.spdx())).isEqualTo(Files.readAllBytes(second.spdx()));
    }

    @Test
    void reorderedSourcesGiveTheSameBytes() {
        SbomPackage p = SbomFixtures.mix().get(0);
        List<SbomPackage.SourceArchive> reversed = new ArrayList<>(p.sources());
        Collections.reverse(reversed);
        SbomPackage q = new SbomPackage(p.name(), p.epoch(), p.version(), p.release(), p.arch(), p.license(),
                p.supplier(), p.rpmFileName(), p.sha256(), p.kit(), p.url(), p.summary(), reversed);
        assertThat(Sboms.spdxJson(SbomFixtures.kit(), List.of(q))).isEqualTo(Sboms.spdxJson(SbomFixtures.kit(), List.of(p)));
        assertThat(Sboms.cycloneDxJson(SbomFixtures.kit(), List.of(q)))
                .isEqualTo(Sboms.cycloneDxJson(SbomFixtures.kit(), List.of(p)));
    }

    @Test
    void anotherTimestampOrContentGivesOtherBytesAndIdentifiers() {
        SbomSubject s = SbomFixtures.variant();
        SbomSubject later = new SbomSubject(s.kind(), s.groupId(), s.artifactId(), s.version(), s.arch(), s.toolName(),
                s.toolVersion(), s.timestamp().plusSeconds(1));
        String spdx = Sboms.spdxText(s, SbomFixtures.mix());
        String cdx = Sboms.cycloneDxText(s, SbomFixtures.mix());
        assertThat(Sboms.spdxText(later, SbomFixtures.mix())).isNotEqualTo(spdx);
        assertThat(Sboms.cycloneDxText(later, SbomFixtures.mix())).isNotEqualTo(cdx);
        assertThat(namespace(Sboms.spdxText(later, SbomFixtures.mix()))).isNotEqualTo(namespace(spdx));
        assertThat(serial(Sboms.cycloneDxText(later, SbomFixtures.mix()))).isNotEqualTo(serial(cdx));
        List<SbomPackage> fewer = SbomFixtures.mix().subList(1, SbomFixtures.mix().size());
        assertThat(namespace(Sboms.spdxText(s, fewer))).isNotEqualTo(namespace(spdx));
        assertThat(serial(Sboms.cycloneDxText(s, fewer))).isNotEqualTo(serial(cdx));
        // A kit and a variant of the same coordinates and content are different documents.
        SbomSubject kit = new SbomSubject(SbomSubject.Kind.KIT, s.groupId(), s.artifactId(), s.version(), s.arch(),
                s.toolName(), s.toolVersion(), s.timestamp());
        assertThat(serial(Sboms.cycloneDxText(kit, SbomFixtures.mix()))).isNotEqualTo(serial(cdx));
    }

    @Test
    void outputIsUtf8WithLfLinesAndNothingOfTheHost() {
        for (byte[] bytes : List.of(Sboms.spdxJson(SbomFixtures.variant(), SbomFixtures.mix()),
                Sboms.cycloneDxJson(SbomFixtures.variant(), SbomFixtures.mix()))) {
            String text = new String(bytes, StandardCharsets.UTF_8);
            assertThat(text).endsWith("}\n").doesNotEndWith("\n\n").doesNotContain("\r");
            assertThat(text).doesNotContain(System.getProperty("user.dir"), System.getProperty("user.home"),
                    System.getProperty("java.io.tmpdir"));
        }
    }

    @Test
    void nameBasedUuidsFollowRfc4122() {
        // RFC 4122 appendix B's example, for the DNS namespace, checked against other implementations.
        assertThat(NameBasedUuid.v5(java.util.UUID.fromString("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), "python.org"))
                .hasToString("886313e1-3b8a-5372-9b90-0c9aee199e5d");
        assertThat(NameBasedUuid.ofContent("x", "a").version()).isEqualTo(5);
        assertThat(NameBasedUuid.ofContent("x", "a").variant()).isEqualTo(2);
    }

    private static String namespace(String spdx) {
        return SbomSchemas.tree(spdx.getBytes(StandardCharsets.UTF_8)).path("documentNamespace").asText();
    }

    private static String serial(String cdx) {
        return SbomSchemas.tree(cdx.getBytes(StandardCharsets.UTF_8)).path("serialNumber").asText();
    }
}
