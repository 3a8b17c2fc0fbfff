package dev.twoliter.engine.image;

import dev.twoliter.engine.Arch;
import dev.twoliter.engine.Terms;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.io.Tars;
import java.io.IOException;
import java.nio.file.Files;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** The loader UEFI firmware starts from a disk with no boot entry, and who may provide it. */
final class DefaultEfiLoader {
    /** Its path on the EFI system partition of an x86_64 image. */
    static final String PATH = "EFI/BOOT/BOOTX64.EFI";

    /**
     * UEFI's name for the arch in file names: {@code x64} or {@code aa64} (the default loader
     * BOOTX64.EFI or BOOTAA64.EFI, systemd's linuxx64.efi.stub or linuxaa64.efi.stub).
     */
    static String suffix(Arch arch) {
        return switch (arch) {
            case X86_64 -> "x64";
            case AARCH64 -> "aa64";
        };
    }

    /** The default loader's file name for the arch: BOOTX64.EFI, BOOTAA64.EFI. */
    static String fileName(Arch arch) {
        return "BOOT" + suffix(arch).toUpperCase(java.util.Locale.ROOT) + ".EFI";
    }

    /** The default loader's path on the EFI system partition for the arch. */
    static String path(Arch arch) {
        return "EFI/BOOT/" + fileName(arch);
    }

    /** The A/B state's path on the EFI system partition (BootConfig.GRUB_ENV_PATH). */
    static final String BANK_STATE_PATH = BootConfig.GRUB_ENV_PATH.substring(1);

    private DefaultEfiLoader() {}

    /**
     * Whether a UKI image with A/B banks owns this path on the EFI system partition: everything under
     * loader/ (configuration, Type #1 entries) and EFI/Linux/ (Type #2 entries), FAT ignoring case.
     * Any entry a package added there would be one more for systemd-boot to order, and a newer one
     * would boot instead of the banks.
     */
    static boolean systemdBootsFile(String name) {
        String lower = name.toLowerCase(java.util.Locale.ROOT);
        return lower.startsWith("loader/") || lower.startsWith(UkiBanks.ENTRY_DIR.toLowerCase(java.util.Locale.ROOT) + "/");
    }

    /**
     * The firmware starts EFI/BOOT/BOOTX64.EFI (BOOTAA64.EFI on aarch64); with a bootloader of the
     * plugin's, a package's file by that name (FAT ignores case) would be a second claim on it.
     */
    static void refuseClash(VariantBuildRequest request, RootFilesystemStep.Root root)
            throws TwoliterException, IOException {
        ImageOptions.Bootloader bootloader = request.options().bootloader();
        if (bootloader == ImageOptions.Bootloader.NONE) {
            return;
        }
        try (TarArchiveInputStream tar = Tars.reader(Files.newInputStream(root.efiFiles()))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                String name = entry.getName().replaceFirst("^\\./", "");
                if (bootloader == ImageOptions.Bootloader.GRUB && name.equalsIgnoreCase(BANK_STATE_PATH)) {
                    throw new TwoliterException(request.module() + ": a package installs /boot/efi/" + name + ", where"
                            + " the image's A/B state goes (GRUB's environment block, which the plugin writes)."
                            + " Remove the file from the package.");
                }
                // Directories alone (an empty EFI/Linux/) add no entry.
                if (bootloader == ImageOptions.Bootloader.UKI && request.options().inPlaceUpdates()
                        && !entry.isDirectory() && systemdBootsFile(name)) {
                    throw new TwoliterException(request.module() + ": a package installs /boot/efi/" + name + ", where"
                            + " systemd-boot's configuration and boot entries go (bootloader uki with A/B banks: only the"
                            + " banks' UKIs may boot)."
                            + " Remove the file from the package.");
                }
                if (name.equalsIgnoreCase(path(request.arch()))) {
                    throw new TwoliterException(request.module() + ": a package installs /boot/efi/" + name + ", the"
                            + " EFI system partition's default loader, which bootloader " + bootloader + " provides."
                            + " Remove the file from the package, or set " + request.terms().setting(
                                    Terms.Setting.BOOTLOADER) + " to none to boot with the package's loader.");
                }
            }
        }
    }
}
