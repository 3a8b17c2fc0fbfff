package dev.twoliter.engine.prebuilt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.Terms;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.io.Digests;
import dev.twoliter.engine.source.SourceCache;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrebuiltFetchTest {
    @TempDir
    Path tmp;

    private PrebuiltFetch fetch(PrebuiltFetch.ArtifactResolver artifacts) {
        return new PrebuiltFetch("x:m", tmp.resolve("module"), new SourceCache(tmp.resolve("cache"), List.of(), false,
                true, BuildLog.SILENT), artifacts);
    }

    private PrebuiltFetch fetch() {
        return fetch((a, max) -> {
            throw new TwoliterException("no artifacts here");
        });
    }

    private static List<PrebuiltDeclaration> declare(String file, String name, long epoch, String version,
            String release, String sha512) throws Exception {
        return PrebuiltDeclaration.validate("x:m", List.of(new PrebuiltDeclaration.Declared(file, null, sha512, null,
                null, null, null, name, epoch, version, release)), Terms.PLAIN);
    }

    @Test
    void aModuleFileOfTheDeclaredPackage() throws Exception {
        Path rpm = TestRpms.write(tmp.resolve("module/vendor/agent-latest.rpm"), "agent", 1, "2.1", "4", "x86_64");
        List<PrebuiltRpm> rpms = fetch().fetchAll(declare("vendor/agent-latest.rpm", "agent", 1, "2.1", "4",
                Digests.sha512(rpm)), Set.of("x86_64", "aarch64"));
        assertThat(rpms).singleElement().satisfies(r -> {
            assertThat(r.archiveName()).isEqualTo("agent-2.1-4.x86_64.rpm");
            assertThat(r.sha256()).isEqualTo(Digests.sha256(rpm));
            assertThat(r.file()).isEqualTo(rpm.toRealPath());
        });
    }

    @Test
    void anotherPackageIsRefusedWithBothIdentities() throws Exception {
        TestRpms.write(tmp.resolve("module/agent.rpm"), "agent", 0, "2.2", "1", "x86_64");
        assertThatThrownBy(() -> fetch().fetchAll(declare("agent.rpm", "agent", 0, "2.1", "4", null), Set.of("x86_64")))
                .isInstanceOf(PrebuiltException.class)
                .hasMessageContaining("x:m: prebuilt RPM module file agent.rpm (")
                .hasMessageContaining("is agent-2.2-1.x86_64, but the module declares agent-2.1-4");
    }

    @Test
    void anotherArchIsRefused() throws Exception {
        TestRpms.write(tmp.resolve("module/agent.rpm"), "agent", 0, "2.1", "4", "s390x");
        assertThatThrownBy(() -> fetch().fetchAll(declare("agent.rpm", "agent", 0, "2.1", "4", null), Set.of("x86_64")))
                .hasMessageContaining("is for the arch 's390x', but the build is for x86_64");
        TestRpms.write(tmp.resolve("module/agent.rpm"), "agent", 0, "2.1", "4", "noarch");
        assertThat(fetch().fetchAll(declare("agent.rpm", "agent", 0, "2.1", "4", null), Set.of("x86_64"))).hasSize(1);
    }

    @Test
    void aWrongDigestIsRefused() throws Exception {
        TestRpms.write(tmp.resolve("module/agent.rpm"), "agent", 0, "2.1", "4", "x86_64");
        assertThatThrownBy(() -> fetch().fetchAll(declare("agent.rpm", "agent", 0, "2.1", "4", "0".repeat(128)),
                Set.of("x86_64"))).hasMessageContaining("but its <sha512> is " + "0".repeat(128));
    }

    @Test
    void garbageAndMissingFilesAreNamed() throws Exception {
        Files.createDirectories(tmp.resolve("module"));
        Files.writeString(tmp.resolve("module/agent.rpm"), "404 not found");
        assertThatThrownBy(() -> fetch().fetchAll(declare("agent.rpm", "agent", 0, "2.1", "4", null), Set.of("x86_64")))
                .hasMessageContaining("module file agent.rpm").hasMessageContaining("is not a binary RPM");
        assertThatThrownBy(() -> fetch().fetchAll(declare("gone.rpm", "agent", 0, "2.1", "4", null), Set.of("x86_64")))
                .hasMessageContaining("module file gone.rpm is not a file in the module directory");
    }

    @Test
    void aLinkOutOfTheModuleIsRefused() throws Exception {
        Path outside = TestRpms.write(tmp.resolve("elsewhere/agent.rpm"), "agent", 0, "2.1", "4", "x86_64");
        Files.createDirectories(tmp.resolve("module"));
        Files.createSymbolicLink(tmp.resolve("module/agent.rpm"), outside);
        assertThatThrownBy(() -> fetch().fetchAll(declare("agent.rpm", "agent", 0, "2.1", "4", null), Set.of("x86_64")))
                .hasMessageContaining("leads outside the module directory");
    }

    @Test
    void artifactsComeFromTheResolverAndOnePackageIsDeclaredOnce() throws Exception {
        Path resolved = TestRpms.write(tmp.resolve("repo/agent-2.1.rpm"), "agent", 0, "2.1", "4", "x86_64");
        TestRpms.write(tmp.resolve("module/agent.rpm"), "agent", 0, "2.1", "4", "x86_64");
        List<PrebuiltDeclaration> both = PrebuiltDeclaration.validate("x:m", List.of(
                new PrebuiltDeclaration.Declared(null, null, null, null, null, null, "com.vendor:agent:2.1", "agent",
                        null, "2.1", "4"),
                new PrebuiltDeclaration.Declared("agent.rpm", null, null, null, null, null, null, "agent", null, "2.1",
                        "4")), Terms.PLAIN);
        PrebuiltFetch fetch = fetch((a, max) -> {
            assertThat(a.coordinates()).isEqualTo("com.vendor:agent:2.1:rpm");
            assertThat(max).isEqualTo(PrebuiltFetch.MAX_RPM_BYTES);
            return resolved;
        });
        assertThat(fetch.fetchAll(both.subList(0, 1), Set.of("x86_64"))).singleElement()
                .satisfies(r -> assertThat(r.file()).isEqualTo(resolved));
        assertThatThrownBy(() -> fetch.fetchAll(both, Set.of("x86_64"))).hasMessageContaining(
                "module file agent.rpm and Maven artifact com.vendor:agent:2.1:rpm are both agent-2.1-4.x86_64");
    }
}
