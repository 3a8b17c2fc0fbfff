package dev.twoliter.engine.kit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The kit's one manifest from the manifests of its arches, each built on its own (so that a change
 * for one arch rebuilds only that arch's payload): the same kit, SDK and kit dependencies, and every
 * arch's payload. The manifest is the kit's identity that consumers pin and signatures cover, so it
 * is rewritten only when its text changes.
 */
public final class KitManifestMerge {
    private KitManifestMerge() {}

    public static KitManifest merge(List<Path> archManifests, Path target, String module)
            throws KitException, IOException {
        if (archManifests.isEmpty()) {
            throw new IllegalArgumentException("no arch manifests");
        }
        KitManifest first = KitManifest.read(archManifests.get(0), archManifests.get(0).toString());
        Map<String, KitManifest.Payload> payloads = new TreeMap<>(first.payloads());
        for (Path file : archManifests.subList(1, archManifests.size())) {
            KitManifest other = KitManifest.read(file, file.toString());
            if (!other.coordinates().equals(first.coordinates()) || !other.sdk().equals(first.sdk())
                    || !other.kitDependencies().stream().sorted().toList()
                            .equals(first.kitDependencies().stream().sorted().toList())
                    || !other.closure().equals(first.closure())) {
                throw new KitException(module + ": the kit's arches were built from different SDKs, kit"
                        + " dependencies or closure declarations (" + archManifests.get(0) + " and " + file + " disagree); build again with"
                        + " -Dtwoliter.force=true.");
            }
            for (Map.Entry<String, KitManifest.Payload> payload : other.payloads().entrySet()) {
                if (payloads.put(payload.getKey(), payload.getValue()) != null) {
                    throw new KitException(module + ": two manifests of the kit have a " + payload.getKey()
                            + " payload (" + file + ")");
                }
            }
        }
        KitManifest merged = new KitManifest(first.formatVersion(), first.coordinates(), first.sdk(),
                first.kitDependencies(), Map.copyOf(payloads), first.closure());
        String text = merged.toToml();
        if (!Files.isRegularFile(target) || !Files.readString(target, StandardCharsets.UTF_8).equals(text)) {
            merged.write(target);
        }
        return merged;
    }
}
