package dev.twoliter.engine.image;

import dev.twoliter.engine.Arch;
import dev.twoliter.engine.Terms;
import dev.twoliter.engine.artifact.RpmArchive;
import dev.twoliter.engine.io.Digests;
import dev.twoliter.engine.kit.KitRepository;
import dev.twoliter.engine.signing.RootHashSigner;
import dev.twoliter.engine.signing.SecureBootSigner;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What one {@code variant} module build needs.
 *
 * @param localPackages the variant's rpm dependencies: module coordinates (groupId:artifactId) to artifact
 * @param kits the kits of the variant's graph, in priority order (declaration order, then transitive)
 * @param variantSettings the variant's own settings fragments (TOML), which override the packages'
 * @param buildId BUILD_ID in os-release (see {@link #defaultBuildId})
 * @param terms how the build tool names the settings a message points at
 * @param rootHashSigner signs the dm-verity root hash, if the variant's root hash is to be signed
 * @param secureBootSigner signs the EFI executables the firmware starts, for UEFI Secure Boot
 * @param closure the closure check before dnf runs: policy and the variant's own exceptions
 */
public record VariantBuildRequest(String module, String variantId, String version, String buildId,
        List<String> includedPackages, Map<String, Path> localPackages, List<KitRepository> kits,
        List<Path> variantSettings, ImageOptions options, Arch arch, String sdkImage, boolean pullSdk,
        Optional<Instant> sourceDateEpoch, Path workDir, Path outputDir, String baseName, Duration timeout,
        boolean force, String toolVersion, Terms terms, Optional<RootHashSigner> rootHashSigner,
        Optional<SecureBootSigner> secureBootSigner, VariantClosure closure) {

    /** A variant built without the closure check. */
    public VariantBuildRequest(String module, String variantId, String version, String buildId,
            List<String> includedPackages, Map<String, Path> localPackages, List<KitRepository> kits,
            List<Path> variantSettings, ImageOptions options, Arch arch, String sdkImage, boolean pullSdk,
            Optional<Instant> sourceDateEpoch, Path workDir, Path outputDir, String baseName, Duration timeout,
            boolean force, String toolVersion, Terms terms, Optional<RootHashSigner> rootHashSigner,
            Optional<SecureBootSigner> secureBootSigner) {
        this(module, variantId, version, buildId, includedPackages, localPackages, kits, variantSettings, options, arch,
                sdkImage, pullSdk, sourceDateEpoch, workDir, outputDir, baseName, timeout, force, toolVersion, terms,
                rootHashSigner, secureBootSigner, VariantClosure.skipped());
    }

    public VariantBuildRequest(String module, String variantId, String version, String buildId,
            List<String> includedPackages, Map<String, Path> localPackages, List<KitRepository> kits,
            List<Path> variantSettings, ImageOptions options, Arch arch, String sdkImage, boolean pullSdk,
            Optional<Instant> sourceDateEpoch, Path workDir, Path outputDir, String baseName, Duration timeout,
            boolean force, String toolVersion, Terms terms) {
        this(module, variantId, version, buildId, includedPackages, localPackages, kits, variantSettings, options, arch,
                sdkImage, pullSdk, sourceDateEpoch, workDir, outputDir, baseName, timeout, force, toolVersion, terms,
                Optional.empty(), Optional.empty());
    }

    /** The time stamped into the image. */
    public Instant epoch() {
        return sourceDateEpoch.orElse(Instant.EPOCH);
    }

    /**
     * The build id when none is given: a digest of what goes into the image (the packages' RPMs for
     * the image's arch and the kits' payloads of that arch), never of where the checkout is, so two
     * checkouts agree and another arch's change leaves it alone.
     */
    public static String defaultBuildId(String module, String version, Map<String, Path> localPackages,
            List<KitRepository> kits, Arch arch) throws IOException, dev.twoliter.engine.TwoliterException {
        StringBuilder inputs = new StringBuilder(module + ":" + version);
        for (Map.Entry<String, Path> pkg : new TreeMap<>(localPackages).entrySet()) {
            // The RPMs this arch's image takes, so that another arch's change leaves the ID alone.
            inputs.append(':').append(pkg.getKey()).append('=');
            RpmArchive.digestsFor(pkg.getValue(), arch.rpmName(), module)
                    .forEach((name, sha256) -> inputs.append(name).append('@').append(sha256).append(','));
        }
        kits.forEach(k -> inputs.append(':').append(k.payloadSha256()));
        return Digests.sha256(inputs.toString()).substring(0, 8);
    }
}
