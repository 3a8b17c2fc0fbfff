package dev.twoliter.engine.kit;

import dev.twoliter.engine.Arch;
import dev.twoliter.engine.Terms;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one {@code kit} module build needs, for one arch.
 *
 * @param module how messages name the build: the module, with the arch when the build has several
 * @param packages package directory name (the rpm module's artifactId) to that module's artifact
 *     (a tar of RPMs); the transitive closure of the kit's rpm dependencies, not crossing other kits
 * @param kitDependencies the kits this kit depends on directly, recorded in its manifest
 * @param kitGraph every kit of the graph (manifests only: a kit build needs no payloads)
 * @param sourceDateEpoch time stamped into the repository metadata and the payload; empty: 1970
 * @param manifestFile the manifest of this arch's payload, below the payload's directory; the kit's
 *     manifest merges those of its arches
 * @param terms how the build tool names the settings a message points at
 * @param closure what the closure check needs
 */
public record KitBuildRequest(KitCoordinates coordinates, String module, Map<String, Path> packages,
        List<KitCoordinates> kitDependencies, List<ResolvedKit> kitGraph, Arch arch, String sdkImage,
        boolean pullSdk, Optional<Instant> sourceDateEpoch, Path workDir, Path manifestFile, Path payloadFile,
        Duration timeout, boolean force, String toolVersion, Terms terms, KitClosure closure) {

    /** A kit built without the closure check. */
    public KitBuildRequest(KitCoordinates coordinates, String module, Map<String, Path> packages,
            List<KitCoordinates> kitDependencies, List<ResolvedKit> kitGraph, Arch arch, String sdkImage,
            boolean pullSdk, Optional<Instant> sourceDateEpoch, Path workDir, Path manifestFile, Path payloadFile,
            Duration timeout, boolean force, String toolVersion, Terms terms) {
        this(coordinates, module, packages, kitDependencies, kitGraph, arch, sdkImage, pullSdk, sourceDateEpoch,
                workDir, manifestFile, payloadFile, timeout, force, toolVersion, terms, KitClosure.skipped());
    }

    /** The SBOMs' base name, beside the payload: {@code <payload name without extension>-sbom}. */
    String sbomBaseName() {
        String payload = payloadFile.getFileName().toString();
        int dot = payload.lastIndexOf('.');
        return (dot > 0 ? payload.substring(0, dot) : payload) + "-sbom";
    }

    /** The time stamped into the repository and the payload. */
    Instant epoch() {
        return sourceDateEpoch.orElse(Instant.EPOCH);
    }
}
