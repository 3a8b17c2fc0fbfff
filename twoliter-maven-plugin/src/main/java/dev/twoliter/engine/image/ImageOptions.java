package dev.twoliter.engine.image;

import java.util.List;
import java.util.Set;

/**
 * How a variant's image is laid out and delivered.
 *
 * @param formats any of raw, qcow2, vmdk
 * @param compression of raw images and update payloads: zstd, lz4 or none
 * @param rootFilesystem ext4 or erofs
 */
public record ImageOptions(int osImageSizeGib, int dataImageSizeGib, PartitionPlan.Plan partitionPlan,
        boolean inPlaceUpdates, String rootFilesystem, Set<String> formats, String compression,
        List<String> kernelParameters, String prettyName) {

    public static final Set<String> FORMATS = Set.of("raw", "qcow2", "vmdk");
    public static final Set<String> COMPRESSIONS = Set.of("zstd", "lz4", "none");
    public static final Set<String> ROOT_FILESYSTEMS = Set.of("ext4", "erofs");

    /** File name suffix of compressed outputs. */
    public String compressedSuffix() {
        return switch (compression) {
            case "zstd" -> ".zst";
            case "lz4" -> ".lz4";
            default -> "";
        };
    }
}
