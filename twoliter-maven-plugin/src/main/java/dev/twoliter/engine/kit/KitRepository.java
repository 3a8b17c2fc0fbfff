package dev.twoliter.engine.kit;

import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.io.Digests;
import dev.twoliter.engine.sdk.SdkImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A kit's unpacked yum repository for one arch, ready to be offered to dnf. Its repo id also names
 * a directory in build containers, so the coordinates are checked here, whoever built the record.
 *
 * @param rpms what the (verified) manifest says of the payload's RPMs: digests, licenses, sources
 */
public record KitRepository(KitCoordinates coordinates, Path directory, String payloadSha256, KitManifest.Sdk sdk,
        KitSignature signature, List<KitManifest.Rpm> rpms, java.util.Optional<KitManifest.Closure> closure) {
    public KitRepository(KitCoordinates coordinates, Path directory, String payloadSha256, KitManifest.Sdk sdk,
            KitSignature signature, List<KitManifest.Rpm> rpms) {
        this(coordinates, directory, payloadSha256, sdk, signature, rpms, java.util.Optional.empty());
    }

    public KitRepository(KitCoordinates coordinates, Path directory, String payloadSha256, KitManifest.Sdk sdk) {
        this(coordinates, directory, payloadSha256, sdk, KitSignature.notChecked(), List.of());
    }

    public KitRepository(KitCoordinates coordinates, Path directory, String payloadSha256, KitManifest.Sdk sdk,
            KitSignature signature) {
        this(coordinates, directory, payloadSha256, sdk, signature, List.of());
    }

    /** Keeps repo ids (and the directory names made from them) well below the 255-byte limit of a file name. */
    private static final int MAX_READABLE_LENGTH = 100;

    public KitRepository {
        if (coordinates == null || !Syntax.isMavenId(coordinates.groupId())
                || !Syntax.isMavenId(coordinates.artifactId()) || !Syntax.isMavenVersion(coordinates.version())) {
            throw new IllegalArgumentException("kit repository for invalid coordinates " + (coordinates == null
                    ? "(none)" : Syntax.show(coordinates.groupId()) + ":" + Syntax.show(coordinates.artifactId()) + ":"
                            + Syntax.show(coordinates.version())));
        }
        if (!Syntax.isSha256(payloadSha256)) {
            throw new IllegalArgumentException("kit repository of " + coordinates + " with invalid payload sha256 "
                    + Syntax.show(payloadSha256));
        }
        rpms = rpms == null ? List.of() : List.copyOf(rpms);
        closure = closure == null ? java.util.Optional.empty() : closure;
        if (directory == null || sdk == null || signature == null) {
            throw new IllegalArgumentException("kit repository of " + coordinates + " without a directory or SDK");
        }
    }

    /**
     * Repository id for dnf: a readable part from the coordinates plus a digest of them, so that
     * kits whose readable parts coincide (a-b:c and a:b-c) still get different ids.
     */
    public String repoId() {
        String key = coordinates.groupId() + ":" + coordinates.artifactId();
        String readable = (coordinates.groupId() + "-" + coordinates.artifactId()).replaceAll("[^A-Za-z0-9_.-]", "_");
        if (readable.length() > MAX_READABLE_LENGTH) {
            readable = readable.substring(0, MAX_READABLE_LENGTH);
        }
        return "kit-" + readable + "-" + Digests.sha256(key).substring(0, 8);
    }

    /** Kits built with another SDK usually work, but ABI surprises start there: say so. */
    public static void warnOnOtherSdk(List<Map.Entry<KitCoordinates, KitManifest.Sdk>> kits, SdkImage sdk,
            String module, BuildLog log) {
        for (Map.Entry<KitCoordinates, KitManifest.Sdk> kit : kits) {
            if (!kit.getValue().id().equals(sdk.id())) {
                log.warn(module + ": kit " + kit.getKey() + " was built with SDK " + kit.getValue().image() + " ("
                        + kit.getValue().id() + "), but this build uses " + sdk.reference() + " (" + sdk.id() + ").");
            }
        }
    }

    public static List<Map.Entry<KitCoordinates, KitManifest.Sdk>> sdks(List<KitRepository> kits) {
        return kits.stream().map(k -> Map.entry(k.coordinates(), k.sdk())).toList();
    }
}
