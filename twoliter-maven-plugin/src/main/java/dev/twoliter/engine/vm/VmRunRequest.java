package dev.twoliter.engine.vm;

import dev.twoliter.engine.Terms;
import dev.twoliter.engine.image.BootableImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * One boot of a built variant in a virtual machine.
 *
 * @param image the variant's disks and how it boots
 * @param osImageOverride another copy of the OS disk to boot instead of the built one (same format)
 * @param firmware {@code bios} or {@code uefi}; empty: what the bootloader needs (BIOS for GRUB)
 * @param expect console text that makes the run succeed (and ends it); empty: the machine must
 *     power off by itself without a panic or a dm-verity error
 * @param accel {@code kvm}, {@code tcg} or {@code auto} (KVM when this machine offers it)
 * @param workDir where the console log and the run's result go
 * @param secureBoot UEFI firmware with Secure Boot enforced (QEMU's q35 machine with SMM)
 * @param efiVariables the firmware's variable store with the Secure Boot keys enrolled; empty: the
 *     SDK's test store, whose PK, KEK and db hold OVMF's "snakeoil" certificate
 * @param session a disk kept across runs: what to write before the boot, and the disk back after it
 * @param userDataDisk the user data for the machine, as {@link dev.twoliter.engine.settings.UserDataDisk}
 *     writes it; attached read-only as one more virtio disk
 */
public record VmRunRequest(String module, BootableImage image, Optional<Path> osImageOverride,
        Optional<String> firmware, Optional<String> expect, Duration timeout, int memoryMib, String accel,
        String sdkImage, boolean pullSdk, Path workDir, Terms terms, boolean secureBoot,
        Optional<Path> efiVariables, Optional<DiskSession> session, Optional<Path> userDataDisk) {

    public VmRunRequest(String module, BootableImage image, Optional<Path> osImageOverride,
            Optional<String> firmware, Optional<String> expect, Duration timeout, int memoryMib, String accel,
            String sdkImage, boolean pullSdk, Path workDir, Terms terms, boolean secureBoot,
            Optional<Path> efiVariables, Optional<DiskSession> session) {
        this(module, image, osImageOverride, firmware, expect, timeout, memoryMib, accel, sdkImage, pullSdk, workDir,
                terms, secureBoot, efiVariables, session, Optional.empty());
    }

    public VmRunRequest(String module, BootableImage image, Optional<Path> osImageOverride,
            Optional<String> firmware, Optional<String> expect, Duration timeout, int memoryMib, String accel,
            String sdkImage, boolean pullSdk, Path workDir, Terms terms, boolean secureBoot,
            Optional<Path> efiVariables) {
        this(module, image, osImageOverride, firmware, expect, timeout, memoryMib, accel, sdkImage, pullSdk, workDir,
                terms, secureBoot, efiVariables, Optional.empty());
    }

    /** The same run on a disk kept across runs (the OS disk given, zstd-compressed raw). */
    public VmRunRequest withSession(Path disk, DiskSession session) {
        return new VmRunRequest(module, image, Optional.of(disk), firmware, expect, timeout, memoryMib, accel,
                sdkImage, pullSdk, workDir, terms, secureBoot, efiVariables, Optional.of(session), userDataDisk);
    }

    /** The same run with user data for the machine. */
    public VmRunRequest withUserData(Path disk) {
        return new VmRunRequest(module, image, osImageOverride, firmware, expect, timeout, memoryMib, accel,
                sdkImage, pullSdk, workDir, terms, secureBoot, efiVariables, session, Optional.of(disk));
    }

    public VmRunRequest(String module, BootableImage image, Optional<Path> osImageOverride,
            Optional<String> firmware, Optional<String> expect, Duration timeout, int memoryMib, String accel,
            String sdkImage, boolean pullSdk, Path workDir, Terms terms) {
        this(module, image, osImageOverride, firmware, expect, timeout, memoryMib, accel, sdkImage, pullSdk, workDir,
                terms, false, Optional.empty());
    }
}
