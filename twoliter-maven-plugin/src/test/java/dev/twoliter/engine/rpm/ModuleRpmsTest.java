package dev.twoliter.engine.rpm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twoliter.engine.artifact.RpmArchive;
import dev.twoliter.engine.io.Digests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleRpmsTest {
    private static final Instant MTIME = Instant.ofEpochSecond(1700000000);

    @TempDir
    Path dir;

    private RpmBuildResult built(String arch, String... rpms) throws Exception {
        Path out = Files.createDirectories(dir.resolve("twoliter").resolve(arch));
        List<Path> files = new java.util.ArrayList<>();
        for (String rpm : rpms) {
            files.add(Files.writeString(out.resolve(rpm), arch + ":" + rpm));
        }
        Path archive = Files.writeString(out.resolve("lib.rpm.tar"), "archive of " + arch);
        Path sources = Files.writeString(out.resolve(RpmArchive.SOURCES_ENTRY), RpmArchive.sourcesText(List.of()));
        return new RpmBuildResult(files, archive, sources, false);
    }

    @Test
    void theArtifactHoldsEveryArchsRpmsWithOneCopyOfEachNoarchRpm() throws Exception {
        Path artifact = dir.resolve("lib-1.rpm.tar");
        Path rpmDir = dir.resolve("rpms");
        Files.createDirectories(rpmDir);
        Files.writeString(rpmDir.resolve("stale-0-1.x86_64.rpm"), "old");

        List<Path> rpms = ModuleRpms.publish(List.of(built("x86_64", "lib-1-1.x86_64.rpm", "lib-doc-1-1.noarch.rpm"),
                built("aarch64", "lib-1-1.aarch64.rpm", "lib-doc-1-1.noarch.rpm")), artifact, rpmDir,
                dir.resolve("twoliter"), MTIME);

        assertThat(rpms).extracting(p -> p.getFileName().toString()).containsExactlyInAnyOrder("lib-1-1.x86_64.rpm",
                "lib-doc-1-1.noarch.rpm", "lib-1-1.aarch64.rpm");
        assertThat(rpmDir.resolve("stale-0-1.x86_64.rpm")).doesNotExist();
        assertThat(rpmDir.resolve("lib-doc-1-1.noarch.rpm")).hasContent("x86_64:lib-doc-1-1.noarch.rpm");
        RpmArchive.Contents contents = RpmArchive.unpackWithSources(artifact, dir.resolve("unpacked"), "m");
        assertThat(contents.rpms()).extracting(p -> p.getFileName().toString()).containsExactly(
                "lib-1-1.aarch64.rpm", "lib-1-1.x86_64.rpm", "lib-doc-1-1.noarch.rpm");
        assertThat(RpmArchive.digestsFor(artifact, "aarch64", "m")).containsOnlyKeys("lib-1-1.aarch64.rpm",
                "lib-doc-1-1.noarch.rpm");
    }

    @Test
    void theArtifactIsRewrittenOnlyWhenAnArchsArchiveChanged() throws Exception {
        Path artifact = dir.resolve("lib-1.rpm.tar");
        RpmBuildResult x86 = built("x86_64", "lib-1-1.x86_64.rpm");
        ModuleRpms.publish(List.of(x86), artifact, dir.resolve("rpms"), dir.resolve("twoliter"), MTIME);
        String first = Digests.sha256(artifact);
        Files.setLastModifiedTime(artifact, FileTime.from(Instant.ofEpochSecond(1000)));
        FileTime stamped = Files.getLastModifiedTime(artifact);
        // The artifact changed behind the plugin's back: it is written again.
        ModuleRpms.publish(List.of(x86), artifact, dir.resolve("rpms"), dir.resolve("twoliter"), MTIME);
        assertThat(Files.getLastModifiedTime(artifact)).isNotEqualTo(stamped);
        assertThat(Digests.sha256(artifact)).isEqualTo(first);

        FileTime written = Files.getLastModifiedTime(artifact);
        ModuleRpms.publish(List.of(x86), artifact, dir.resolve("rpms"), dir.resolve("twoliter"), MTIME);
        assertThat(Files.getLastModifiedTime(artifact)).isEqualTo(written);

        Files.writeString(x86.rpms().get(0), "rebuilt");
        Files.writeString(x86.archive(), "archive rebuilt, longer");
        ModuleRpms.publish(List.of(x86), artifact, dir.resolve("rpms"), dir.resolve("twoliter"), MTIME);
        assertThat(Digests.sha256(artifact)).isNotEqualTo(first);
    }

    @Test
    void aModuleBuiltForNoArchHandsOnAnArtifactWithoutRpms() throws Exception {
        Path artifact = dir.resolve("lib-1.rpm.tar");
        assertThat(ModuleRpms.publish(List.of(), artifact, dir.resolve("rpms"), dir.resolve("twoliter"), MTIME))
                .isEmpty();
        assertThat(RpmArchive.unpackWithSources(artifact, dir.resolve("u"), "m").rpms()).isEmpty();
    }
}
