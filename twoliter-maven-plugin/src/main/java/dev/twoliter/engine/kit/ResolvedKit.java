package dev.twoliter.engine.kit;

import java.nio.file.Path;
import java.util.List;

/**
 * A kit of the graph with its manifest, the manifest's digest and how the graph reached it.
 *
 * @param path the chain of coordinates from the module to this kit, for error messages
 * @param signature what checking the manifest's signature established
 */
public record ResolvedKit(KitCoordinates coordinates, Path manifestFile, String manifestSha256, KitManifest manifest,
        List<String> path, KitSignature signature) {
    public ResolvedKit(KitCoordinates coordinates, Path manifestFile, String manifestSha256, KitManifest manifest,
            List<String> path) {
        this(coordinates, manifestFile, manifestSha256, manifest, path, KitSignature.notChecked());
    }
}
