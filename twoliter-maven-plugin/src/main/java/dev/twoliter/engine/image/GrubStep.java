package dev.twoliter.engine.image;

import dev.twoliter.engine.Arch;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.module.StepContext;
import dev.twoliter.engine.io.AtomicFiles;
import dev.twoliter.engine.sdk.ContainerStep;
import dev.twoliter.engine.sdk.StepEnvironment;
import dev.twoliter.engine.sdk.StepOutcome;
import dev.twoliter.engine.sdk.StepScripts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The GRUB step (grub.sh): GRUB's images for BIOS and UEFI, made by {@code grub-mkimage} with every
 * module built in. The BIOS images are then patched here as {@code grub-bios-setup} would patch
 * them on a real disk ({@link BiosBootCode}), because Debian's GRUB cannot be pointed at an image
 * file. An aarch64 image gets GRUB's arm64-efi image only: those machines have no BIOS, so its
 * BIOS-BOOT partition stays empty. Nothing here depends on the root, so the step runs before it.
 */
final class GrubStep {
    static final String SCRIPT = StepScripts.script(GrubStep.class, "grub.sh");
    /** The MBR's boot code: everything before the disk signature, which stays sgdisk's. */
    static final int MBR_CODE_BYTES = 440;

    private GrubStep() {}

    /** What grub.sh reads. */
    record Environment(Arch arch, String biosPrefix) implements StepEnvironment {
        @Override
        public Map<String, String> render() {
            Map<String, String> env = StepEnvironment.common();
            env.put("ARCH", arch.rpmName());
            env.put("BIOS_PREFIX", biosPrefix);
            return env;
        }
    }

    /**
     * GRUB for the disk step: the MBR's boot code, the BIOS core image (both null on aarch64) and
     * the EFI loader.
     */
    record Loaders(Path mbrCode, Path coreImage, Path efiLoader) {}

    /** Whether the arch's machines have a BIOS for GRUB to boot from: x86_64 only. */
    static boolean hasBios(Arch arch) {
        return arch == Arch.X86_64;
    }

    /** The EFI image grub.sh makes for the arch: grubx64.efi, grubaa64.efi. */
    static String efiImage(Arch arch) {
        return "grub" + DefaultEfiLoader.suffix(arch) + ".efi";
    }

    static Loaders run(StepContext steps, VariantBuildRequest request, PartitionPlan plan, Path dir)
            throws TwoliterException, IOException {
        AtomicFiles.deleteTree(dir);
        Path in = Files.createDirectories(dir.resolve("in"));
        Path out = dir.resolve("out");
        int boot = plan.osPartition("BOTTLEROCKET-BOOT-A").number();
        Map<String, Path> inputs = new LinkedHashMap<>();
        boolean bios = hasBios(request.arch());
        if (bios) {
            inputs.put("/work/in/bios.cfg", Files.writeString(in.resolve("bios.cfg"), BootConfig.grubEarlyConfig(true,
                    plan)));
        }
        inputs.put("/work/in/efi.cfg", Files.writeString(in.resolve("efi.cfg"), BootConfig.grubEarlyConfig(false, plan)));
        if (BootConfig.hasBanks(plan)) {
            inputs.put("/work/in/banks.cfg", Files.writeString(in.resolve("banks.cfg"), BootConfig.grubBankSelection(plan)));
        }
        steps.log().info("Making GRUB for " + (bios ? "BIOS and UEFI" : "UEFI (" + request.arch() + ")") + " for "
                + request.module());
        ContainerStep step = new ContainerStep(request.module().replace(':', '-') + "-grub", steps.sdk(), SCRIPT,
                new Environment(request.arch(), BootConfig.grubBiosPrefix(boot)).render(), inputs, Map.of(), "/work/out", out,
                request.workDir().resolve("variant-grub.log"), request.timeout(),
                line -> steps.log().info("[grub] " + line));
        StepOutcome outcome = steps.run(step, request.workDir().resolve("scratch"));
        ImageStepFailure.failUnlessSucceeded(request, plan, outcome, "making GRUB");
        String efiImage = efiImage(request.arch());
        for (String name : bios ? new String[] {"boot.img", "core.img", efiImage} : new String[] {efiImage}) {
            if (!Files.isRegularFile(out.resolve(name))) {
                throw new TwoliterException(request.module() + ": the GRUB step left no " + name + ". Full log: "
                        + outcome.logFile());
            }
        }
        if (!bios) {
            return new Loaders(null, null, out.resolve(efiImage));
        }
        PartitionPlan.Partition biosBoot = plan.osPartition("BIOS-BOOT");
        BiosBootCode.Result patched;
        try {
            patched = BiosBootCode.setUp(Files.readAllBytes(out.resolve("boot.img")),
                    Files.readAllBytes(out.resolve("core.img")), new byte[512], biosBoot.startMib() * 2048,
                    biosBoot.sizeMib() * 2048);
        } catch (IllegalArgumentException e) {
            throw new TwoliterException(request.module() + ": GRUB's BIOS images from the SDK cannot be set up: "
                    + e.getMessage() + ". Full log: " + outcome.logFile());
        }
        Path mbrCode = Files.write(dir.resolve("mbr-code.bin"), Arrays.copyOf(patched.mbr(), MBR_CODE_BYTES));
        Path core = Files.write(dir.resolve("core.img"), patched.core());
        return new Loaders(mbrCode, core, out.resolve(efiImage));
    }
}
