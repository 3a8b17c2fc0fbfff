package dev.twoliter.engine.sbom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SbomWriteTest {
    @Test
    void writesBothDocumentsUnderTheBaseName(@TempDir Path dir) throws Exception {
        Path target = dir.resolve("target/sbom");
        SbomFiles files = Sboms.write(SbomFixtures.kit(), SbomFixtures.mix(), target, "core-kit-3.0.1-aarch64");
        assertThat(files.spdx()).isEqualTo(target.resolve("core-kit-3.0.1-aarch64.spdx.json"));
        assertThat(files.cycloneDx()).isEqualTo(target.resolve("core-kit-3.0.1-aarch64.cdx.json"));
        assertThat(Files.readAllBytes(files.spdx())).isEqualTo(Sboms.spdxJson(SbomFixtures.kit(), SbomFixtures.mix()));
        assertThat(Files.readAllBytes(files.cycloneDx()))
                .isEqualTo(Sboms.cycloneDxJson(SbomFixtures.kit(), SbomFixtures.mix()));
        assertThat(list(target)).containsExactlyInAnyOrder("core-kit-3.0.1-aarch64.spdx.json",
                "core-kit-3.0.1-aarch64.cdx.json");
    }

    @Test
    void aFailedWriteLeavesNoTemporaryFile(@TempDir Path dir) throws Exception {
        // A non-empty directory where the CycloneDX file should go: the move into place fails.
        Files.createDirectories(dir.resolve("x.cdx.json/occupied"));
        assertThatThrownBy(() -> Sboms.write(SbomFixtures.variant(), SbomFixtures.mix(), dir, "x"))
                .isInstanceOf(IOException.class);
        assertThat(list(dir)).containsExactlyInAnyOrder("x.spdx.json", "x.cdx.json");
        assertThat(Files.isDirectory(dir.resolve("x.cdx.json"))).isTrue();
    }

    @Test
    void invalidInputWritesNothing(@TempDir Path dir) throws Exception {
        List<SbomPackage> tooMany = java.util.Collections.nCopies(Sboms.MAX_PACKAGES + 1, SbomFixtures.rpm("a", "MIT"));
        assertThatThrownBy(() -> Sboms.write(SbomFixtures.variant(), tooMany, dir, "x"))
                .isInstanceOf(SbomInputException.class).hasMessageContaining("more than " + Sboms.MAX_PACKAGES);
        assertThat(list(dir)).isEmpty();
    }

    @Test
    void baseNamesArePlainFileNames(@TempDir Path dir) {
        for (String bad : new String[] {"../x", "a/b", ".hidden", "", "x\ny", "-x"}) {
            assertThatThrownBy(() -> Sboms.write(SbomFixtures.variant(), List.of(), dir, bad))
                    .as(bad).isInstanceOf(SbomInputException.class).hasMessageContaining("base name");
        }
        assertThatThrownBy(() -> Sboms.write(SbomFixtures.variant(), List.of(), dir, null))
                .isInstanceOf(SbomInputException.class);
        assertThatThrownBy(() -> Sboms.write(SbomFixtures.variant(), List.of(), null, "x"))
                .isInstanceOf(SbomInputException.class);
    }

    private static List<String> list(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }
}
