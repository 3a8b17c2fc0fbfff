package dev.twoliter.engine.vm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.Arch;
import dev.twoliter.engine.RecordingLog;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.image.BootableImage;
import dev.twoliter.engine.image.ImageOptions;
import dev.twoliter.engine.sdk.ContainerStep;
import dev.twoliter.engine.sdk.FakeSdkContainers;
import dev.twoliter.engine.sdk.StepScriptContract;
import dev.twoliter.maven.MavenTerms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The boot run against scripted containers: what it refuses at once, and how it reads the console. */
class VmRunTest {
    @TempDir
    Path dir;

    private final FakeSdkContainers containers = new FakeSdkContainers();
    private final RecordingLog log = new RecordingLog();
    private Path os;

    @BeforeEach
    void anImage() throws Exception {
        os = Files.writeString(dir.resolve("os-1.0-os.img.zst"), "disk");
    }

    private VmRunRequest request(ImageOptions.Bootloader bootloader, boolean kernel, String firmware, String expect) {
        BootableImage image = new BootableImage(bootloader, kernel, os, Optional.empty(), "raw",
                ImageOptions.Compression.ZSTD);
        return new VmRunRequest("g:os", image, Optional.empty(), Optional.ofNullable(firmware),
                Optional.ofNullable(expect), Duration.ofSeconds(60), 512, "tcg", "twoliter-sdk:0.3.0", false,
                dir.resolve("work"), MavenTerms.INSTANCE);
    }

    private FakeSdkContainers console(String text, String result) {
        return containers.then((step, out, log) -> {
            log.append(text);
            Files.writeString(out.resolve("run.toml"), "result = \"" + result + "\"\nqemu-exit = 0\n");
            return 0;
        });
    }

    @Test
    void aPoweredOffMachineWithoutExpectationSucceedsAndTheScriptGetsWhatItReads() throws Exception {
        console("twoliter-init: booted\nreboot: Power down\n", "exited");

        new VmRun(containers, log).run(request(ImageOptions.Bootloader.GRUB, true, null, null));

        ContainerStep step = containers.started().get(0);
        assertThat(step.inputs()).containsOnlyKeys("/work/in/os");
        assertThat(step.environment()).containsEntry("FIRMWARE", "bios").containsEntry("ACCEL", "tcg")
                .containsEntry("COMPRESSION", "zstd").containsEntry("RUN_SECONDS", "60").containsEntry("EXPECT", "");
        assertThat(step.devices()).isEmpty();
        assertThat(log.lines()).anyMatch(l -> l.startsWith("INFO g:os: the machine powered off after"));
        StepScriptContract.check(step);
    }

    @Test
    void aUkiBootsWithUefiAndCannotBootWithBios() throws Exception {
        console("twoliter-init: powering off\n", "expected");
        new VmRun(containers, log).run(request(ImageOptions.Bootloader.UKI, true, "auto", "powering off"));
        assertThat(containers.started().get(0).environment()).containsEntry("FIRMWARE", "uefi");

        assertThatThrownBy(() -> new VmRun(containers, log).run(request(ImageOptions.Bootloader.UKI, true, "bios",
                null))).isInstanceOf(TwoliterException.class)
                .hasMessage("g:os: an image with bootloader uki boots with uefi firmware only, not bios.");
    }

    @Test
    void anImageThatCannotBootIsRefusedBeforeAnyMachineStarts() {
        assertThatThrownBy(() -> new VmRun(containers, log).run(request(ImageOptions.Bootloader.GRUB, false, null,
                null))).hasMessageStartingWith("g:os: the image has no kernel: no installed package has /boot/vmlinuz.");
        assertThatThrownBy(() -> new VmRun(containers, log).run(request(ImageOptions.Bootloader.NONE, true, null,
                null))).hasMessageContaining("the image has no bootloader (bootloader none)");
        assertThatThrownBy(() -> new VmRun(containers, log).run(request(ImageOptions.Bootloader.GRUB, true, "coreboot",
                null))).hasMessageContaining("the firmware 'coreboot' is unknown; use bios, uefi or auto.");
        assertThatThrownBy(() -> VmRun.accel("hvf", Arch.X86_64)).hasMessageContaining("the accelerator 'hvf' is unknown");
        assertThat(containers.started()).isEmpty();
        assertThat(containers.imageLookups()).isZero();
    }

    @Test
    void aTamperedRootIsReportedAsSuchEvenThoughQemuExitedNormally() {
        console("Run /sbin/init as init process\ndevice-mapper: verity: 254:4: data block 3948 is corrupted\n"
                + "reboot: Restarting system with command 'dm-verity device corrupted'\n", "exited");
        assertThatThrownBy(() -> new VmRun(containers, log).run(request(ImageOptions.Bootloader.GRUB, true, null,
                "powering off"))).hasMessageContaining("g:os: the image did not boot: dm-verity found corrupted data on"
                        + " the root filesystem, so the kernel restarted (\"reboot: Restarting system with command"
                        + " 'dm-verity device corrupted'\")")
                .hasMessageContaining("Full console log: " + dir.resolve("work/vm-console.log"));
    }

    @Test
    void aMissingExpectationAndATimeoutAreFailures() {
        console("Booting\nreboot: Power down\n", "exited");
        assertThatThrownBy(() -> new VmRun(containers, log).run(request(ImageOptions.Bootloader.GRUB, true, null,
                "login:"))).hasMessageContaining("the machine powered off without the console showing 'login:'");
        console("Booting\n", "timeout");
        assertThatThrownBy(() -> new VmRun(containers, log).run(request(ImageOptions.Bootloader.GRUB, true, null,
                "login:"))).hasMessageContaining("the console did not show 'login:' after 60 s");
        console("Booting\n", "timeout");
        assertThatThrownBy(() -> new VmRun(containers, log).run(request(ImageOptions.Bootloader.GRUB, true, null,
                null))).hasMessageContaining("the machine was still running after 60 s");
    }

    @Test
    void aPanicAndARefusedLoaderAreNamed() {
        assertThat(VmRun.diagnose("x\nKernel panic - not syncing: VFS: Unable to mount root fs\n")).hasValueSatisfying(
                d -> assertThat(d).startsWith("the kernel panicked (\"Kernel panic - not syncing"));
        assertThat(VmRun.diagnose("BdsDxe: failed to load Boot0002: Access Denied\n")).hasValueSatisfying(
                d -> assertThat(d).startsWith("the firmware refused to start the EFI loader"));
        assertThat(VmRun.diagnose("error: file `/vmlinuz' not found.\n")).hasValueSatisfying(
                d -> assertThat(d).startsWith("GRUB reported an error"));
        assertThat(VmRun.diagnose("ACPI: no error: fine\nreboot: Power down\n")).isEmpty();
    }

    private VmRunRequest secureBoot(ImageOptions.Bootloader bootloader, String firmware, Path variables) {
        VmRunRequest r = request(bootloader, true, firmware, null);
        return new VmRunRequest(r.module(), r.image(), r.osImageOverride(), r.firmware(), r.expect(), r.timeout(),
                r.memoryMib(), r.accel(), r.sdkImage(), r.pullSdk(), r.workDir(), r.terms(), true,
                Optional.ofNullable(variables));
    }

    @Test
    void secureBootRunsUefiWithTheTestStoreOrTheUsersVariables() throws Exception {
        console("reboot: Power down\n", "exited");
        new VmRun(containers, log).run(secureBoot(ImageOptions.Bootloader.GRUB, "auto", null));
        ContainerStep step = containers.started().get(0);
        assertThat(step.environment()).containsEntry("FIRMWARE", "uefi").containsEntry("SECURE_BOOT", "true");
        assertThat(step.inputs()).doesNotContainKey("/work/in/efi-vars");
        assertThat(log.lines()).anyMatch(l -> l.contains("Secure Boot enforced, keys from the SDK's test store"));

        Path vars = Files.write(dir.resolve("my-vars.fd"), new byte[540_672]);
        console("reboot: Power down\n", "exited");
        new VmRun(containers, log).run(secureBoot(ImageOptions.Bootloader.UKI, "uefi", vars));
        assertThat(containers.started().get(1).inputs()).containsEntry("/work/in/efi-vars", vars);
        StepScriptContract.check(containers.started().get(1));
    }

    @Test
    void secureBootNeedsUefiAndAVariableStoreOfTheRightSize() throws Exception {
        assertThatThrownBy(() -> new VmRun(containers, log).run(secureBoot(ImageOptions.Bootloader.GRUB, "bios",
                null))).hasMessage("g:os: Secure Boot is a UEFI feature, but the firmware asked for is 'bios'.");
        Path small = Files.write(dir.resolve("vars.fd"), new byte[131_072]);
        assertThatThrownBy(() -> new VmRun(containers, log).run(secureBoot(ImageOptions.Bootloader.UKI, "auto",
                small))).hasMessageContaining("the EFI variable store " + small + " is not a file of 540672 bytes");
        assertThatThrownBy(() -> new VmRun(containers, log).run(secureBoot(ImageOptions.Bootloader.UKI, "auto",
                dir.resolve("missing.fd")))).hasMessageContaining("is not a file of 540672 bytes");
        assertThat(containers.started()).isEmpty();
    }

    @Test
    void aFirmwareThatGaveUpEndsTheRunWithTheReason() {
        console("BdsDxe: failed to load Boot0002 \"UEFI Misc Device\": Access Denied\n"
                + "BdsDxe: No bootable option or device was found.\n", "stuck");
        assertThatThrownBy(() -> new VmRun(containers, log).run(secureBoot(ImageOptions.Bootloader.UKI, "auto",
                null))).hasMessageContaining("g:os: the image did not boot: the firmware refused to start the EFI"
                        + " loader; with Secure Boot enforced, that means the loader is not signed by a key in the"
                        + " firmware's db");
        console("BdsDxe: No bootable option or device was found.\n", "stuck");
        assertThatThrownBy(() -> new VmRun(containers, log).run(request(ImageOptions.Bootloader.UKI, true, "auto",
                null))).hasMessageContaining("the firmware found nothing to boot");
    }

    private VmRunRequest aarch64(ImageOptions.Bootloader bootloader, String firmware, boolean secureBoot,
            Path variables) {
        BootableImage image = new BootableImage(bootloader, true, os, Optional.empty(), "raw",
                ImageOptions.Compression.ZSTD, Arch.AARCH64);
        return new VmRunRequest("g:os", image, Optional.empty(), Optional.ofNullable(firmware), Optional.empty(),
                Duration.ofSeconds(60), 512, "auto", "twoliter-sdk:0.4.0", false, dir.resolve("work"),
                MavenTerms.INSTANCE, secureBoot, Optional.ofNullable(variables));
    }

    @Test
    void anAarch64ImageBootsWithUefiOnTheVirtMachineEmulated() throws Exception {
        console("reboot: Power down\n", "exited");
        new VmRun(containers, log).run(aarch64(ImageOptions.Bootloader.GRUB, null, false, null));
        ContainerStep step = containers.started().get(0);
        // GRUB on aarch64 has no BIOS path; "auto" never picks KVM for another arch than this machine's.
        assertThat(step.environment()).containsEntry("ARCH", "aarch64").containsEntry("FIRMWARE", "uefi")
                .containsEntry("ACCEL", Arch.host().equals("aarch64") ? step.environment().get("ACCEL") : "tcg");
        assertThat(log.lines()).anyMatch(l -> l.contains("with UEFI firmware (aarch64, "));
        StepScriptContract.check(step);

        assertThatThrownBy(() -> new VmRun(containers, log).run(aarch64(ImageOptions.Bootloader.GRUB, "bios", false,
                null))).hasMessage("g:os: the image is for aarch64, whose machines have no BIOS; it boots with uefi"
                        + " firmware only (AAVMF on QEMU's virt machine).");
        if (!Arch.host().equals("aarch64")) {
            assertThatThrownBy(() -> VmRun.accel("kvm", Arch.AARCH64)).hasMessageContaining("KVM was asked for, but"
                    + " the image is for aarch64 and this machine is " + Arch.host());
            assertThat(VmRun.accel("auto", Arch.AARCH64)).isEqualTo("tcg");
        }
    }

    @Test
    void anAarch64SecureBootTakesAnAavmfVariableStore() throws Exception {
        console("reboot: Power down\n", "exited");
        new VmRun(containers, log).run(aarch64(ImageOptions.Bootloader.UKI, "auto", true, null));
        assertThat(containers.started().get(0).environment()).containsEntry("SECURE_BOOT", "true")
                .containsEntry("ARCH", "aarch64");
        assertThat(log.lines()).anyMatch(l -> l.contains("keys from the SDK's test store (AAVMF snakeoil)"));

        Path ovmfSized = Files.write(dir.resolve("ovmf-vars.fd"), new byte[540_672]);
        assertThatThrownBy(() -> new VmRun(containers, log).run(aarch64(ImageOptions.Bootloader.UKI, "auto", true,
                ovmfSized))).hasMessageContaining("is not a file of 67108864 bytes (the size of AAVMF_VARS.fd");
        Path vars = dir.resolve("aavmf-vars.fd");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(vars.toFile(), "rw")) {
            f.setLength(64L << 20);
        }
        console("reboot: Power down\n", "exited");
        new VmRun(containers, log).run(aarch64(ImageOptions.Bootloader.UKI, "auto", true, vars));
        assertThat(containers.started().get(1).inputs()).containsEntry("/work/in/efi-vars", vars);
    }

    @Test
    void aStepThatLeavesNoResultSaysTheMachineDidNotStart() {
        containers.then((step, out, log) -> {
            log.append("qemu-system-x86_64: -drive file=/work/vm/os: Could not open\n");
            return 70;
        });
        assertThatThrownBy(() -> new VmRun(containers, log).run(request(ImageOptions.Bootloader.GRUB, true, null,
                null))).hasMessageContaining("g:os: the virtual machine could not be started. Last lines of the log:")
                .hasMessageContaining("Could not open");
    }
}
