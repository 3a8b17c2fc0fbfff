package dev.twoliter.engine.image;

import java.util.List;

/**
 * The boot configuration, rendered here rather than in the image step: the dm-verity table, the
 * kernel command line and grub.cfg. The image step only measures the root filesystem; the two values
 * it measures (the root hash and the number of data blocks) fill the placeholders of the grub.cfg
 * template, and {@link #kernelCommandLine} gives the same line with them, for the build manifest.
 */
final class BootConfig {
    static final String ROOT_HASH = "@ROOT_HASH@";
    static final String DATA_BLOCKS = "@DATA_BLOCKS@";
    static final String DATA_SECTORS = "@DATA_SECTORS@";
    /** GRUB's variable for the boot partition's PARTUUID, found at boot by {@code probe}. */
    private static final String BOOT_UUID = "$boot_uuid";
    private static final String VERITY_VARIABLE = "$dm_verity_root";

    private BootConfig() {}

    /**
     * The dm-verity table as Bottlerocket's: root and hash tree found relative to the boot partition
     * GRUB booted from, so that one table serves bank A and bank B.
     */
    static String verityTable(String dataSectors, String dataBlocks, String rootHash, String salt, String bootUuid) {
        return "root,,,ro,0 " + dataSectors + " verity 1 PARTUUID=" + bootUuid + "/PARTNROFF=1 PARTUUID=" + bootUuid
                + "/PARTNROFF=2 4096 4096 " + dataBlocks + " 1 sha256 " + rootHash + " " + salt
                + " 2 restart_on_corruption ignore_zero_blocks";
    }

    /** The kernel's parameters: the user's first, then what the dm-verity root needs. */
    static String commandLine(List<String> userParameters, String verityTable) {
        return (userParameters.isEmpty() ? "" : String.join(" ", userParameters) + " ")
                + "root=/dev/dm-0 rootwait ro raid=noautodetect random.trust_cpu=on dm-mod.create=\"" + verityTable
                + "\"";
    }

    /** grub.cfg with placeholders for the measured values; {@code menuTitle} is already GRUB-quoted. */
    static String grubTemplate(String menuTitle, List<String> userParameters, String salt) {
        return "set default=\"0\"\n"
                + "set timeout=\"0\"\n"
                + "probe --set=boot_uuid --part-uuid ($root)\n"
                + "set dm_verity_root=\"" + verityTable(DATA_SECTORS, DATA_BLOCKS, ROOT_HASH, salt, BOOT_UUID) + "\"\n"
                + "\n"
                + "menuentry " + menuTitle + " --unrestricted {\n"
                + "   linux ($root)/vmlinuz " + commandLine(userParameters, VERITY_VARIABLE) + "\n"
                + "   boot\n"
                + "}\n";
    }

    /** The command line bank A boots with, for the build manifest. */
    static String kernelCommandLine(List<String> userParameters, long dataBlocks, String rootHash, String salt,
            String bootAPartitionUuid) {
        return commandLine(userParameters, verityTable(Long.toString(dataBlocks * 8), Long.toString(dataBlocks),
                rootHash, salt, bootAPartitionUuid));
    }
}
