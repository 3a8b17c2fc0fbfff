package dev.twoliter.engine.image;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.io.Tars;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A package's file where the plugin's bootloader goes (the firmware's default loader) is refused. */
class DefaultEfiLoaderTest {
    @TempDir
    Path dir;

    /** A measured root whose /boot/efi holds {@code files} (names as in the tar). */
    private RootFilesystemStep.Root rootWith(String... files) throws Exception {
        Map<String, Path> entries = new TreeMap<>();
        for (String name : files) {
            entries.put(name, Files.writeString(Files.createTempFile(dir, "efi", ""), "MZ"));
        }
        Path tar = dir.resolve("efi.tar");
        try (OutputStream out = Files.newOutputStream(tar)) {
            Tars.write(entries, Instant.EPOCH, out);
        }
        return new RootFilesystemStep.Root(null, null, null, tar, "ab".repeat(32), 1, true);
    }

    private VariantBuildRequest request(ImageOptions.Bootloader bootloader) {
        return VariantRequests.of(dir, Map.of(), bootloader, List.of());
    }

    @Test
    void theDefaultLoaderInAnyCaseIsRefusedForTheBootloadersOfThePlugin() throws Exception {
        RootFilesystemStep.Root root = rootWith("EFI/BOOT/BootX64.efi", "EFI/vendor/grubx64.efi");
        assertThatThrownBy(() -> DefaultEfiLoader.refuseClash(request(ImageOptions.Bootloader.UKI), root))
                .isInstanceOf(TwoliterException.class)
                .hasMessage("com.example:greet-os: a package installs /boot/efi/EFI/BOOT/BootX64.efi, the EFI system"
                        + " partition's default loader, which bootloader uki provides. Remove the file from the"
                        + " package, or set <bootloader> to none to boot with the package's loader.");
        assertThatThrownBy(() -> DefaultEfiLoader.refuseClash(request(ImageOptions.Bootloader.GRUB), root))
                .hasMessageContaining("which bootloader grub provides");
    }

    @Test
    void withoutABootloaderOfThePluginThePackagesLoaderIsTheOne() throws Exception {
        RootFilesystemStep.Root root = rootWith("EFI/BOOT/BOOTX64.EFI");
        assertThatCode(() -> DefaultEfiLoader.refuseClash(request(ImageOptions.Bootloader.NONE), root))
                .doesNotThrowAnyException();
    }

    @Test
    void otherFilesOfThePartitionAreNoClash() throws Exception {
        RootFilesystemStep.Root root = rootWith("EFI/BOOT/BOOTX64.EFI.old", "EFI/BOOT/grub.cfg",
                "vendor/EFI/BOOT/BOOTX64.EFI");
        assertThatCode(() -> DefaultEfiLoader.refuseClash(request(ImageOptions.Bootloader.GRUB), root))
                .doesNotThrowAnyException();
    }

    @Test
    void theAbStatesPathIsGrubsToo() throws Exception {
        RootFilesystemStep.Root root = rootWith("EFI/Twoliter/GRUBENV");
        assertThatThrownBy(() -> DefaultEfiLoader.refuseClash(request(ImageOptions.Bootloader.GRUB), root))
                .hasMessageContaining("/boot/efi/EFI/Twoliter/GRUBENV, where the image's A/B state goes");
        assertThatCode(() -> DefaultEfiLoader.refuseClash(request(ImageOptions.Bootloader.UKI), root))
                .doesNotThrowAnyException();
    }

    @Test
    void systemdBootsConfigurationAndTheBanksEntriesAreTheUkiBanksToo() throws Exception {
        for (String file : List.of("loader/LOADER.conf", "EFI/Linux/twoliter-a.efi", "efi/linux/Twoliter-B+1-0.EFI",
                "EFI/Linux/other-9.9.efi", "loader/entries/x.conf")) {
            RootFilesystemStep.Root root = rootWith(file);
            assertThatThrownBy(() -> DefaultEfiLoader.refuseClash(VariantRequests.of(dir, Map.of(),
                    ImageOptions.Bootloader.UKI, List.of(), true), root))
                    .hasMessageContaining("/boot/efi/" + file + ", where systemd-boot's configuration and boot entries go");
            assertThatCode(() -> DefaultEfiLoader.refuseClash(request(ImageOptions.Bootloader.UKI), root))
                    .as("one bank: no systemd-boot").doesNotThrowAnyException();
        }
        assertThatCode(() -> DefaultEfiLoader.refuseClash(VariantRequests.of(dir, Map.of(),
                ImageOptions.Bootloader.UKI, List.of(), true), rootWith("EFI/vendor/tool.efi", "EFI/Linuxish/a.efi")))
                .doesNotThrowAnyException();
    }
}
