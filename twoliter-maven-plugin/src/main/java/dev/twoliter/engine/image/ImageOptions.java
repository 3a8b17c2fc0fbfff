package dev.twoliter.engine.image;

import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.Terms;
import dev.twoliter.engine.TwoliterException;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * How a variant's image is laid out and delivered.
 *
 * @param formats the disk image formats to write
 * @param compression of raw images and update payloads
 * @param rootFilesystem the root filesystem type
 * @param scriptlets whether the packages' install scriptlets run while the image is built
 * @param bootloader how the image boots
 */
public record ImageOptions(int osImageSizeGib, int dataImageSizeGib, PartitionPlan.Plan partitionPlan,
        boolean inPlaceUpdates, RootFilesystem rootFilesystem, Set<ImageFormat> formats, Compression compression,
        List<String> kernelParameters, String prettyName, Scriptlets scriptlets, Bootloader bootloader) {

    /**
     * Bounds on the disk sizes: every partition is formatted while the image is built, so a data
     * disk of a terabyte would write gigabytes of inode tables to this machine's disk.
     */
    public static final int MAX_OS_IMAGE_SIZE_GIB = 64;
    public static final int MAX_DATA_IMAGE_SIZE_GIB = 256;

    /** Disk image formats. */
    public enum ImageFormat {
        RAW, QCOW2, VMDK;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Compression of raw images and update payloads, with the file name suffix it adds. */
    public enum Compression {
        ZSTD(".zst"), LZ4(".lz4"), NONE("");

        private final String suffix;

        Compression(String suffix) {
            this.suffix = suffix;
        }

        public String suffix() {
            return suffix;
        }

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The root filesystem: ext4 (no journal, 4 KiB blocks) or erofs (lz4hc). */
    public enum RootFilesystem {
        EXT4, EROFS;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * Package scriptlets ({@code %pre}, {@code %post}, triggers) are code from the package's
     * publisher. {@code SKIP}: none runs at build time (the default, as fits an immutable image);
     * {@code RUN}: they run, as root, chrooted into the image's root, in a container of their own.
     */
    public enum Scriptlets {
        SKIP, RUN;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /**
     * How the image boots. {@code GRUB}: GRUB for BIOS in the MBR and the BIOS boot partition and GRUB
     * for UEFI on the EFI system partition, both reading grub.cfg and the kernel from the BOOT partition
     * of the bank their first stage chooses (A, or B for one try: docs/booting.md).
     * {@code UKI}: one Unified Kernel Image (systemd's EFI stub with the kernel, the command line and
     * os-release) as the EFI system partition's default loader; UEFI only, one bank, no BOOT
     * partition. {@code NONE}: no loader; BOOT-A holds the kernel and grub.cfg for whatever boots it.
     */
    public enum Bootloader {
        GRUB, UKI, NONE;

        @Override
        public String toString() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** File name suffix of compressed outputs. */
    public String compressedSuffix() {
        return compression.suffix();
    }

    /** The options as the build tool gave them, as text; checked and parsed by {@link #parse}. */
    public record Raw(int osImageSizeGib, int dataImageSizeGib, String partitionPlan, boolean inPlaceUpdates,
            String rootFilesystem, List<String> formats, String compression, List<String> kernelParameters,
            String prettyName, String scriptlets, String bootloader) {}

    /** Parses the enumerated values, naming the setting and what it allows when one does not fit. */
    public static ImageOptions parse(Raw raw, String module, Terms terms) throws TwoliterException {
        // An EnumSet iterates in declaration order, so outputs are listed the same way every build.
        Set<ImageFormat> formats = EnumSet.noneOf(ImageFormat.class);
        for (String f : raw.formats()) {
            ImageFormat format = value(ImageFormat.class, f == null ? "" : f.trim());
            if (format == null) {
                throw new TwoliterException(module + ": unknown image format " + Syntax.show(f) + " (use "
                        + allowed(ImageFormat.class, ", ", " or ") + ")");
            }
            formats.add(format);
        }
        return new ImageOptions(raw.osImageSizeGib(), raw.dataImageSizeGib(),
                required(PartitionPlan.Plan.class, raw.partitionPlan(), Terms.Setting.PARTITION_PLAN, module, terms),
                raw.inPlaceUpdates(),
                required(RootFilesystem.class, raw.rootFilesystem(), Terms.Setting.ROOT_FILESYSTEM, module, terms),
                Collections.unmodifiableSet(formats),
                required(Compression.class, raw.compression(), Terms.Setting.IMAGE_COMPRESSION, module, terms),
                List.copyOf(raw.kernelParameters()), raw.prettyName(),
                required(Scriptlets.class, raw.scriptlets(), Terms.Setting.PACKAGE_SCRIPTLETS, module, terms),
                required(Bootloader.class, raw.bootloader(), Terms.Setting.BOOTLOADER, module, terms));
    }

    private static <E extends Enum<E>> E required(Class<E> type, String text, Terms.Setting setting, String module,
            Terms terms) throws TwoliterException {
        E value = value(type, text);
        if (value == null) {
            throw new TwoliterException(module + ": " + terms.setting(setting) + " is " + Syntax.show(text) + "; use "
                    + allowed(type, ", ", " or ") + ".");
        }
        return value;
    }

    private static <E extends Enum<E>> E value(Class<E> type, String text) {
        if (text == null) {
            return null;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(text)) {
                return constant;
            }
        }
        return null;
    }

    private static String allowed(Class<? extends Enum<?>> type, String separator, String last) {
        List<String> names = Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.toList());
        return names.size() == 1 ? names.get(0)
                : String.join(separator, names.subList(0, names.size() - 1)) + last + names.get(names.size() - 1);
    }
}
