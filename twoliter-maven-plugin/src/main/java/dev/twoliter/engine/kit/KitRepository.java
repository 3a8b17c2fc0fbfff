package dev.twoliter.engine.kit;

import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.sdk.SdkImage;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A kit's unpacked yum repository for one arch, ready to be offered to dnf. */
public record KitRepository(KitCoordinates coordinates, Path directory, String payloadSha256, KitManifest.Sdk sdk) {

    /** Repository id for dnf: unique per kit, only characters dnf accepts. */
    public String repoId() {
        return "kit-" + (coordinates.groupId() + "-" + coordinates.artifactId()).replaceAll("[^A-Za-z0-9_.-]", "_");
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
