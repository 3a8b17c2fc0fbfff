package dev.twoliter.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.artifact.RpmArchive;
import dev.twoliter.engine.io.Tars;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local modules' archives, unpacked for dnf, each RPM remembered with its module and sources. */
class LocalPackagesTest {
    @TempDir
    Path dir;

    private Path archive(String name, Map<String, String> files) throws Exception {
        Map<String, Path> entries = new TreeMap<>();
        for (Map.Entry<String, String> file : files.entrySet()) {
            entries.put(file.getKey(), Files.writeString(Files.createTempFile(dir, "f", ""), file.getValue()));
        }
        Path archive = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(archive)) {
            Tars.write(entries, Instant.EPOCH, out);
        }
        return archive;
    }

    @Test
    void aMultiArchArchiveGivesTheImageItsArchsRpmsAndNoarchOnes() throws Exception {
        Path lib = archive("lib.rpm.tar", Map.of("lib-1-1.x86_64.rpm", "x86", "lib-1-1.aarch64.rpm", "arm",
                "lib-doc-1-1.noarch.rpm", "doc"));

        LocalPackages local = LocalPackages.stage(VariantRequests.of(dir, Map.of("com.example:lib", lib)),
                dir.resolve("staging"));

        assertThat(local.rpms()).containsOnlyKeys("lib-1-1.x86_64.rpm", "lib-doc-1-1.noarch.rpm");
        assertThat(dir.resolve("staging/com.example_lib/lib-1-1.aarch64.rpm")).doesNotExist();
    }

    @Test
    void theDefaultBuildIdFollowsTheImagesArchOnly() throws Exception {
        Map<String, String> rpms = new TreeMap<>(Map.of("lib-1-1.x86_64.rpm", "x86", "lib-1-1.aarch64.rpm", "arm"));
        Path before = archive("before.rpm.tar", rpms);
        rpms.put("lib-1-1.aarch64.rpm", "arm, rebuilt");
        Path after = archive("after.rpm.tar", rpms);

        String x86Before = VariantBuildRequest.defaultBuildId("g:v", "1.0", Map.of("g:lib", before), List.of(),
                dev.twoliter.engine.Arch.X86_64);
        String x86After = VariantBuildRequest.defaultBuildId("g:v", "1.0", Map.of("g:lib", after), List.of(),
                dev.twoliter.engine.Arch.X86_64);
        String armBefore = VariantBuildRequest.defaultBuildId("g:v", "1.0", Map.of("g:lib", before), List.of(),
                dev.twoliter.engine.Arch.AARCH64);
        String armAfter = VariantBuildRequest.defaultBuildId("g:v", "1.0", Map.of("g:lib", after), List.of(),
                dev.twoliter.engine.Arch.AARCH64);

        assertThat(x86After).isEqualTo(x86Before).matches("[0-9a-f]{8}");
        assertThat(armAfter).isNotEqualTo(armBefore);
    }

    @Test
    void eachRpmIsStagedPerModuleWithItsModuleAndSources() throws Exception {
        RpmArchive.Source source = new RpmArchive.Source("greet-1.0.tar.gz", "a".repeat(128),
                Optional.of("https://example.org/greet-1.0.tar.gz"));
        Path greet = archive("greet.rpm.tar", Map.of("greet-1.0-1.x86_64.rpm", "greet",
                "greet-doc-1.0-1.noarch.rpm", "doc", RpmArchive.SOURCES_ENTRY, RpmArchive.sourcesText(List.of(source))));
        Path hello = archive("hello.rpm.tar", Map.of("hello-2.0-1.x86_64.rpm", "hello"));
        Path staging = dir.resolve("staging");

        LocalPackages local = LocalPackages.stage(VariantRequests.of(dir,
                Map.of("com.example:greet", greet, "com.example:hello", hello)), staging);

        Path greetRpm = staging.resolve("com.example_greet/greet-1.0-1.x86_64.rpm");
        assertThat(local.rpms()).containsExactly(
                Map.entry("greet-1.0-1.x86_64.rpm", greetRpm),
                Map.entry("greet-doc-1.0-1.noarch.rpm", staging.resolve("com.example_greet/greet-doc-1.0-1.noarch.rpm")),
                Map.entry("hello-2.0-1.x86_64.rpm", staging.resolve("com.example_hello/hello-2.0-1.x86_64.rpm")));
        assertThat(greetRpm).hasContent("greet");
        assertThat(local.origins().get("greet-1.0-1.x86_64.rpm"))
                .isEqualTo(new SbomStep.LocalRpm("com.example:greet", greetRpm, List.of(source)));
        assertThat(local.origins().get("hello-2.0-1.x86_64.rpm").module()).isEqualTo("com.example:hello");
        assertThat(local.origins().get("hello-2.0-1.x86_64.rpm").sources()).isEmpty();
        assertThat(staging.resolve("com.example_greet").resolve(RpmArchive.SOURCES_ENTRY)).doesNotExist();
    }

    @Test
    void anUnsafeArchiveIsRefusedInTheVariantsName() throws Exception {
        Path hostile = dir.resolve("hostile.rpm.tar");
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(Files.newOutputStream(hostile))) {
            TarArchiveEntry link = new TarArchiveEntry("greet-1.0-1.x86_64.rpm", TarConstants.LF_SYMLINK);
            link.setLinkName("/etc/passwd");
            tar.putArchiveEntry(link);
            tar.closeArchiveEntry();
        }
        assertThatThrownBy(() -> LocalPackages.stage(VariantRequests.of(dir, Map.of("com.example:greet", hostile)),
                dir.resolve("staging")))
                .isInstanceOf(TwoliterException.class)
                .hasMessage("com.example:greet-os: package artifact " + hostile + " is not an archive of RPMs: Archive"
                        + " entry 'greet-1.0-1.x86_64.rpm' is a symbolic link to '/etc/passwd'; only regular files and"
                        + " directories are extracted.");
    }
}
