package dev.twoliter.engine.image;

import java.util.List;

/**
 * The boot configuration, rendered here rather than in a step: the dm-verity table, the kernel
 * command line, grub.cfg, GRUB's built-in early configurations and its A/B bank selection script.
 * The root filesystem step measures two values (the root hash and the number of data blocks);
 * everything else is known before any container runs.
 */
final class BootConfig {
    /** GRUB's variable for the boot partition's PARTUUID, found at boot by {@code probe}. */
    static final String GRUB_BOOT_UUID = "$boot_uuid";
    private static final String VERITY_VARIABLE = "$dm_verity_root";
    /** GRUB's variable for the bank its first stage chose, "A" or "B". */
    static final String GRUB_BOOT_BANK = "$twoliter_boot_bank";
    /** The kernel parameter that tells the OS which bank it runs from. */
    static final String KERNEL_BANK_PARAMETER = "twoliter.bank";
    /** The A/B state on the EFI system partition: a GRUB environment block, 1024 bytes. */
    static final String GRUB_ENV_PATH = "/EFI/twoliter/grubenv";
    /** The bank selection script inside GRUB's images (GRUB's memdisk, a tar built by grub.sh). */
    static final String MEMDISK_BANK_SCRIPT = "(memdisk)/twoliter/banks.cfg";

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
     * grub.cfg, the same on BOOT-A and BOOT-B. GRUB finds the PARTUUID of the partition it read this
     * file from at boot, so the same file works in either bank. {@code menuTitle} is already
     * GRUB-quoted. With {@code bankParameter} (an image with two banks booted by the plugin's GRUB),
     * the kernel is told which bank GRUB chose, {@code twoliter.bank=A|B}: the first stage exported
     * it, and only ever sets the literal A or B.
     */
    static String grubConfig(String menuTitle, List<String> userParameters, long dataBlocks, String rootHash,
            String salt, boolean bankParameter) {
        List<String> parameters = new java.util.ArrayList<>(userParameters);
        if (bankParameter) {
            parameters.add(KERNEL_BANK_PARAMETER + "=" + GRUB_BOOT_BANK);
        }
        return "set default=\"0\"\n"
                + "set timeout=\"0\"\n"
                + "probe --set=boot_uuid --part-uuid ($root)\n"
                + "set dm_verity_root=\"" + verityTable(dataBlocks, rootHash, salt, GRUB_BOOT_UUID) + "\"\n"
                + "\n"
                + "menuentry " + menuTitle + " --unrestricted {\n"
                + "   linux ($root)/vmlinuz " + commandLine(parameters, VERITY_VARIABLE) + "\n"
                + "   boot\n"
                + "}\n";
    }

    /**
     * The prefix of GRUB's BIOS core image: BOOT-A on the first BIOS disk, the one the firmware booted.
     * The early configuration replaces it with the chosen bank's.
     */
    static String grubBiosPrefix(int bootPartitionNumber) {
        return "(hd0,gpt" + bootPartitionNumber + ")/grub";
    }

    /**
     * The configuration built into GRUB's images, for BIOS ({@code serial}: its messages go to the
     * serial port as well as the screen, so a boot that stops in GRUB says why on a headless machine)
     * and UEFI. It runs in GRUB's rescue parser, which knows commands and variables but not
     * {@code if} (tested: GRUB 2.06 reports "Unknown command `if'" and runs both branches), so it only
     * finds the disk GRUB was started from (whatever number the firmware gave it: $root is BOOT-A from
     * the core image's prefix under BIOS, the EFI system partition GRUB was loaded from under UEFI) and,
     * with two banks,
     * hands over to {@link #grubBankSelection} through {@code source}, which runs a file with the
     * full script language in the same context. That file is built into the image too (GRUB's
     * memdisk), so what chooses the bank is as fixed, and under Secure Boot as signed, as GRUB itself.
     * With one bank it sets root and prefix to BOOT-A. Normal mode then reads $prefix/grub.cfg.
     */
    static String grubEarlyConfig(boolean serial, PartitionPlan plan) {
        String early = serial ? "serial --unit=0 --speed=115200\n"
                + "terminal_input serial console\n"
                + "terminal_output serial console\n" : "";
        early += "regexp --set=1:twoliter_disk '^([^,]+),' \"$root\"\n";
        if (hasBanks(plan)) {
            return early + "source " + MEMDISK_BANK_SCRIPT + "\n";
        }
        return early + "set root=\"$twoliter_disk,gpt" + plan.osPartition("BOTTLEROCKET-BOOT-A").number() + "\"\n"
                + "set prefix=\"($root)/grub\"\n";
    }

    /** Whether the image has a bank B for GRUB to choose: in-place updates. */
    static boolean hasBanks(PartitionPlan plan) {
        return plan.findOsPartition("BOTTLEROCKET-BOOT-B").isPresent();
    }

    /**
     * The first stage's choice of bank, built into GRUB's images as {@link #MEMDISK_BANK_SCRIPT} (see
     * docs/booting.md, "A/B banks: one try and rollback"). It reads the state from the EFI system
     * partition's environment block, consumes a pending try before booting it (so a try that never
     * comes back to confirm is not tried again), falls back to the confirmed bank when the try was
     * consumed and never confirmed, and boots bank A when the state is missing or unreadable. Values
     * from the block are only ever compared with the literals A, B and 1, never used as code or paths.
     * Only partition numbers from the plan are pasted in.
     */
    static String grubBankSelection(PartitionPlan plan) {
        int esp = plan.osPartition("EFI-SYSTEM").number();
        int bootA = plan.osPartition("BOTTLEROCKET-BOOT-A").number();
        int bootB = plan.osPartition("BOTTLEROCKET-BOOT-B").number();
        return "# Chooses bank A or B (twoliter, docs/booting.md). $twoliter_disk: the disk GRUB started from.\n"
                + "set twoliter_env=\"($twoliter_disk,gpt" + esp + ")" + GRUB_ENV_PATH + "\"\n"
                + "load_env --file \"$twoliter_env\" twoliter_bank twoliter_try twoliter_tries twoliter_fallback\n"
                + "set twoliter_boot_bank=\"A\"\n"
                + "if [ \"$twoliter_bank\" = \"B\" ]; then\n"
                + "  set twoliter_boot_bank=\"B\"\n"
                + "fi\n"
                + "if [ \"$twoliter_try\" = \"A\" -o \"$twoliter_try\" = \"B\" ]; then\n"
                + "  if [ \"$twoliter_tries\" = \"1\" ]; then\n"
                + "    # The try is used up before it boots: if it never confirms, the next boot falls back.\n"
                + "    # Only a try recorded as used up boots (a state GRUB cannot write is not tried).\n"
                + "    set twoliter_tries=\"0\"\n"
                + "    if save_env --file \"$twoliter_env\" twoliter_tries; then\n"
                + "      if [ \"$twoliter_try\" = \"B\" ]; then\n"
                + "        set twoliter_boot_bank=\"B\"\n"
                + "      else\n"
                + "        set twoliter_boot_bank=\"A\"\n"
                + "      fi\n"
                + "    fi\n"
                + "  else\n"
                + "    # Tried once and never confirmed: back to the confirmed bank, and say which try failed.\n"
                + "    set twoliter_fallback=\"$twoliter_try\"\n"
                + "    set twoliter_try=\"\"\n"
                + "    set twoliter_tries=\"\"\n"
                + "    save_env --file \"$twoliter_env\" twoliter_try twoliter_tries twoliter_fallback\n"
                + "  fi\n"
                + "fi\n"
                + "if [ \"$twoliter_boot_bank\" = \"B\" ]; then\n"
                + "  set root=\"$twoliter_disk,gpt" + bootB + "\"\n"
                + "else\n"
                + "  set root=\"$twoliter_disk,gpt" + bootA + "\"\n"
                + "fi\n"
                + "set prefix=\"($root)/grub\"\n"
                + "# grub.cfg passes it on as twoliter.bank=.\n"
                + "export twoliter_boot_bank\n";
    }
}
