package dev.twoliter.engine.image;

import dev.twoliter.engine.io.Digests;
import dev.twoliter.engine.kit.KitRepository;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The seed every identifier of an image is derived from (disk and partition GUIDs, filesystem
 * UUIDs, the verity salt, the EFI volume id, the VMDK content id): a digest of what goes into the
 * image and how it is laid out, and nothing else. Neither the plugin's version nor its scripts count,
 * so the same content gives the same identifiers after a plugin upgrade that does not change them.
 */
final class ImageSeed {
    private ImageSeed() {}

    static String of(VariantBuildRequest request, Map<String, Path> localRpms, String sdkId) throws IOException {
        ImageOptions o = request.options();
        StringBuilder seed = new StringBuilder();
        line(seed, "variant", request.module() + ":" + request.version() + ":" + request.buildId());
        line(seed, "sdk", sdkId);
        line(seed, "arch", request.arch().toString());
        line(seed, "sourceDateEpoch", Long.toString(request.sourceDateEpoch().map(t -> t.getEpochSecond()).orElse(0L)));
        line(seed, "layout", o.osImageSizeGib() + "/" + o.dataImageSizeGib() + "/"
                + o.partitionPlan().name().toLowerCase(Locale.ROOT) + "/" + o.inPlaceUpdates());
        line(seed, "rootFilesystem", o.rootFilesystem().toString());
        line(seed, "formats", String.join(",", new java.util.TreeSet<>(o.formats().stream().map(Object::toString)
                .toList())));
        line(seed, "compression", o.compression().toString());
        line(seed, "kernelParameters", String.join(" ", o.kernelParameters()));
        line(seed, "prettyName", o.prettyName());
        line(seed, "scriptlets", o.scriptlets().name().toLowerCase(Locale.ROOT));
        line(seed, "includedPackages", String.join(",", request.includedPackages()));
        for (Map.Entry<String, Path> rpm : new TreeMap<>(localRpms).entrySet()) {
            line(seed, "local:" + rpm.getKey(), Digests.sha256(rpm.getValue()));
        }
        for (int i = 0; i < request.kits().size(); i++) {
            KitRepository kit = request.kits().get(i);
            line(seed, "kit:" + i + ":" + kit.coordinates(), kit.payloadSha256());
        }
        for (Path settings : request.variantSettings()) {
            line(seed, "settings:" + settings.getFileName(), Digests.sha256(settings));
        }
        return Digests.sha256(seed.toString());
    }

    private static void line(StringBuilder seed, String key, String value) {
        seed.append(key).append('=').append(value.replace('\n', ' ')).append('\n');
    }
}
