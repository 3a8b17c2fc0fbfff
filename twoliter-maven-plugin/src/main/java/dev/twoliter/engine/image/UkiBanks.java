package dev.twoliter.engine.image;

import dev.twoliter.engine.bank.Bank;
import dev.twoliter.engine.bank.UkiEntries;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A UKI image with A/B banks (docs/booting.md, "UKI: A/B banks with systemd-boot"): systemd-boot is
 * the EFI system partition's default loader and chooses between one UKI per bank in
 * {@code EFI/Linux/}. Everything here is fixed text: file names, loader.conf and each bank's command
 * line (the entries' names are {@link UkiEntries}'s, which reads them back from a disk). Nothing read
 * from a disk or given by the user becomes a file name.
 */
final class UkiBanks {
    /** Where systemd-boot looks for Type #2 entries (UKIs), on the EFI system partition. */
    static final String ENTRY_DIR = "EFI/Linux";
    /** Boot counting in a file name: one try left, none used. systemd-boot renames it before it boots. */
    static final String ONE_TRY = "+1-0";

    private UkiBanks() {}

    /**
     * A bank's entry file, without boot counting: {@code twoliter-a.efi}. Fixed names, rather than
     * name and version, so that an updater finds a bank's entry by name (with or without a counter)
     * and a version string never has to be checked for systemd-boot's {@code +} syntax;
     * systemd-boot orders entries by the UKIs' os-release (ID, then VERSION_ID, newest first), not by
     * these names.
     */
    static String entryName(Bank bank) {
        return UkiEntries.fileName(bank);
    }

    /** A bank's entry file with one try pending: {@code twoliter-b+1-0.efi}. */
    static String tryEntryName(Bank bank) {
        return UkiEntries.tryFileName(bank);
    }

    /**
     * loader/loader.conf: no menu (timeout 0: it shows only while a key is held), no command line
     * editor (it would bypass the UKI's command line when Secure Boot is off), no automatic entries
     * (the firmware's setup, other EFI programs on the partition). No {@code default}: systemd-boot then
     * boots the first entry of its own order, which puts entries whose tries are used up last and
     * otherwise the newest version first. That is the whole A/B rule: a try (newer, tries left) boots,
     * once; after it the confirmed bank does.
     */
    static String loaderConf() {
        return "timeout 0\n"
                + "editor no\n"
                + "auto-entries no\n"
                + "auto-firmware no\n";
    }

    /** The partition a bank's dm-verity table counts from: the EFI system partition (A) or EFI-BACKUP (B). */
    static String anchorLabel(Bank bank) {
        return bank == Bank.A ? "EFI-SYSTEM" : "EFI-BACKUP";
    }

    /**
     * A bank's command line: the user's parameters, {@code twoliter.bank=<bank>} (the OS confirms the
     * bank it was started from), then the dm-verity root counted from the bank's anchor, whose GUID
     * is fixed ({@link PartitionPlan#UKI_ANCHOR_A_GUID}).
     */
    static String commandLine(List<String> userParameters, Bank bank, long dataBlocks, String rootHash, String salt) {
        List<String> parameters = new ArrayList<>(userParameters);
        parameters.add(BootConfig.KERNEL_BANK_PARAMETER + "=" + bank.name());
        String anchor = (bank == Bank.A ? PartitionPlan.UKI_ANCHOR_A_GUID : PartitionPlan.UKI_ANCHOR_B_GUID)
                .toLowerCase(Locale.ROOT);
        return BootConfig.kernelCommandLine(parameters, dataBlocks, rootHash, salt, anchor);
    }
}
