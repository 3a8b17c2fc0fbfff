package dev.twoliter.engine.image;

import dev.twoliter.engine.Arch;
import dev.twoliter.maven.MavenTerms;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Requests for one small variant, com.example:greet-os, for tests of the pipeline's parts. */
final class VariantRequests {
    private VariantRequests() {}

    static VariantBuildRequest of(Path dir, Map<String, Path> localPackages, ImageOptions.Bootloader bootloader,
            List<String> kernelParameters) {
        return of(dir, localPackages, bootloader, kernelParameters, bootloader != ImageOptions.Bootloader.UKI);
    }

    static VariantBuildRequest of(Path dir, Map<String, Path> localPackages, ImageOptions.Bootloader bootloader,
            List<String> kernelParameters, boolean inPlaceUpdates) {
        ImageOptions options = new ImageOptions(2, 1, PartitionPlan.Plan.SPLIT,
                inPlaceUpdates, ImageOptions.RootFilesystem.EXT4,
                Set.of(ImageOptions.ImageFormat.RAW), ImageOptions.Compression.ZSTD, kernelParameters, "Greet OS",
                ImageOptions.Scriptlets.SKIP, bootloader);
        return new VariantBuildRequest("com.example:greet-os", "greet-os", "1.0.0", "abc12345", List.of("greet"),
                localPackages, List.of(), List.of(), options, Arch.X86_64, "twoliter-sdk:0.3.0", false,
                Optional.of(Instant.ofEpochSecond(1700000000)), dir.resolve("work"), dir.resolve("out"),
                "greet-os-x86_64-1.0.0", Duration.ofMinutes(1), false, "test", MavenTerms.INSTANCE);
    }

    static VariantBuildRequest of(Path dir, Map<String, Path> localPackages) {
        return of(dir, localPackages, ImageOptions.Bootloader.GRUB, List.of("console=ttyS0"));
    }
}
