package dev.twoliter.engine.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.twoliter.engine.Arch;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class VariantPlaceTest {
    private static final Path TARGET = Path.of("/p/os/target");

    @Test
    void aProjectWithOneArchKeepsItsNames() {
        VariantPlace place = VariantPlace.of(TARGET, "os-1.0.0", Arch.AARCH64, false);

        assertThat(place.workDir()).isEqualTo(TARGET.resolve("twoliter"));
        assertThat(place.outputDir()).isEqualTo(TARGET.resolve("image"));
        assertThat(place.buildManifest()).isEqualTo(TARGET.resolve("image/os-1.0.0.variant.json"));
        assertThat(place.classifier("os")).isEqualTo("os");
        assertThat(place.outputClassifier("root")).contains("root");
    }

    @Test
    void withSeveralArchesEachHasItsDirectoriesAndTheArchInEveryName() {
        VariantPlace arm = VariantPlace.of(TARGET, "os-1.0.0", Arch.AARCH64, true);
        VariantPlace x86 = VariantPlace.of(TARGET, "os-1.0.0", Arch.X86_64, true);

        assertThat(arm.workDir()).isEqualTo(TARGET.resolve("twoliter/aarch64"));
        assertThat(arm.outputDir()).isEqualTo(TARGET.resolve("image/aarch64"));
        assertThat(arm.buildManifest()).isEqualTo(TARGET.resolve("image/aarch64/os-1.0.0-aarch64.variant.json"));
        assertThat(arm.classifier("root")).isEqualTo("aarch64-root");
        assertThat(arm.outputClassifier("aarch64-root")).contains("root");
        assertThat(x86.outputClassifier("aarch64-root")).isEmpty();
        assertThat(x86.outputClassifier(null)).isEmpty();
        assertThat(x86.outputDir()).isNotEqualTo(arm.outputDir());
    }
}
