package dev.twoliter.engine.image;

import dev.twoliter.engine.kit.KitRepository;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one {@code variant} module build needs.
 *
 * @param localPackages the variant's rpm dependencies: module coordinates (groupId:artifactId) to artifact
 * @param kits the kits of the variant's graph, in priority order (declaration order, then transitive)
 * @param variantSettings the variant's own settings fragments (TOML), which override the packages'
 */
public record VariantBuildRequest(String module, String variantId, String version, String buildId,
        List<String> includedPackages, Map<String, Path> localPackages, List<KitRepository> kits,
        List<Path> variantSettings, ImageOptions options, String arch, String sdkImage, boolean pullSdk,
        String dockerHost, Optional<Instant> sourceDateEpoch, Path workDir, Path outputDir, String baseName,
        Duration timeout, boolean force, String toolVersion) {}
