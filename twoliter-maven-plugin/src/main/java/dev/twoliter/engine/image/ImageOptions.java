package dev.twoliter.engine.image;

import java.util.List;
import java.util.Set;

/**
 * How a variant's image is laid out and delivered.
 *
 * @param formats any of raw, qcow2, vmdk
 * @param compression of raw images and update payloads: zstd, lz4 or none
 * @param rootFilesystem ext4 or erofs
 * @param scriptlets whether the packages' install scriptlets run while the image is built
 */
public record ImageOptions(int osImageSizeGib, int dataImageSizeGib, PartitionPlan.Plan partitionPlan,
        boolean inPlaceUpdates, String rootFilesystem, Set<String> formats, String compression,
        List<String> kernelParameters, String prettyName, Scriptlets scriptlets) {

    /**
     * Bounds on the disk sizes: every partition is formatted while the image is built, so a data
     * disk of a terabyte would write gigabytes of inode tables to this machine's disk.
     */
    public static final int MAX_OS_IMAGE_SIZE_GIB = 64;
    public static final int MAX_DATA_IMAGE_SIZE_GIB = 256;

    /**
     * Package scriptlets ({@code %pre}, {@code %post}, triggers) are code from the package's
     * publisher. {@code SKIP}: none runs at build time (the default, as fits an immutable image);
     * {@code RUN}: they run, as root, chrooted into the image's root, in a container of their own.
     */
    public enum Scriptlets {
        SKIP, RUN
    }

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
