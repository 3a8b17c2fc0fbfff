package dev.twoliter.engine.image;

import java.util.List;

/**
 * The boot configuration, rendered here rather than in a step: the dm-verity table, the kernel
 * command line, grub.cfg and GRUB's built-in early configurations. The root filesystem step
 * measures two values (the root hash and the number of data blocks); everything else is known
 * before any container runs.
 */
final class BootConfig {
    /** GRUB's variable for the boot partition's PARTUUID, found at boot by {@code probe}. */
    static final String GRUB_BOOT_UUID = "$boot_uuid";
    private static final String VERITY_VARIABLE = "$dm_verity_root";

    private BootConfig() {}

    /**
     * The dm-verity table as Bottlerocket's: the root and its hash tree are the two partitions after an
     * anchor partition (BOOT-A under GRUB, the EFI system partition in a UKI), so that one table
     * serves either bank.
     */
    static String verityTable(long dataBlocks, String rootHash, String salt, String anchorPartUuid) {
        return "root,,,ro,0 " + dataBlocks * 8 + " verity 1 PARTUUID=" + anchorPartUuid + "/PARTNROFF=1 PARTUUID="
                + anchorPartUuid + "/PARTNROFF=2 4096 4096 " + dataBlocks + " 1 sha256 " + rootHash + " " + salt
                + " 2 restart_on_corruption ignore_zero_blocks";
    }

    /** The partition the dm-verity table counts from: BOOT-A, or the EFI system partition of a UKI image. */
    static String anchorLabel(PartitionPlan plan) {
        return plan.findOsPartition("BOTTLEROCKET-BOOT-A").isPresent() ? "BOTTLEROCKET-BOOT-A" : "EFI-SYSTEM";
    }

    /** The kernel's parameters: the user's first, then what the dm-verity root needs. */
    static String commandLine(List<String> userParameters, String verityTable) {
        return (userParameters.isEmpty() ? "" : String.join(" ", userParameters) + " ")
                + "root=/dev/dm-0 rootwait ro raid=noautodetect random.trust_cpu=on dm-mod.create=\"" + verityTable
                + "\"";
    }

    /** The command line a kernel boots with, its anchor partition given by PARTUUID. */
    static String kernelCommandLine(List<String> userParameters, long dataBlocks, String rootHash, String salt,
            String anchorPartUuid) {
        return commandLine(userParameters, verityTable(dataBlocks, rootHash, salt, anchorPartUuid));
    }

    /**
     * grub.cfg on BOOT-A. GRUB finds the PARTUUID of the partition it read this file from at boot, so
     * the same file works in bank A and bank B. {@code menuTitle} is already GRUB-quoted.
     */
    static String grubConfig(String menuTitle, List<String> userParameters, long dataBlocks, String rootHash,
            String salt) {
        return "set default=\"0\"\n"
                + "set timeout=\"0\"\n"
                + "probe --set=boot_uuid --part-uuid ($root)\n"
                + "set dm_verity_root=\"" + verityTable(dataBlocks, rootHash, salt, GRUB_BOOT_UUID) + "\"\n"
                + "\n"
                + "menuentry " + menuTitle + " --unrestricted {\n"
                + "   linux ($root)/vmlinuz " + commandLine(userParameters, VERITY_VARIABLE) + "\n"
                + "   boot\n"
                + "}\n";
    }

    /**
     * Built into GRUB's BIOS core image: its messages go to the serial port as well as the screen, so a
     * boot that stops in GRUB says why on a headless machine.
     */
    static String grubBiosEarlyConfig() {
        return "serial --unit=0 --speed=115200\n"
                + "terminal_input serial console\n"
                + "terminal_output serial console\n";
    }

    /**
     * The prefix of GRUB's BIOS core image: BOOT-A on the first BIOS disk, the one the firmware booted.
     */
    static String grubBiosPrefix(int bootPartitionNumber) {
        return "(hd0,gpt" + bootPartitionNumber + ")/grub";
    }

    /**
     * Built into GRUB for UEFI: the firmware starts it from the EFI system partition; it reads
     * grub.cfg from BOOT-A on the same disk, whatever number the firmware gave that disk.
     */
    static String grubEfiEarlyConfig(int bootPartitionNumber) {
        return "regexp --set=1:bootdisk '^([^,]+),' \"$root\"\n"
                + "set root=\"$bootdisk,gpt" + bootPartitionNumber + "\"\n"
                + "set prefix=\"($root)/grub\"\n";
    }
}
