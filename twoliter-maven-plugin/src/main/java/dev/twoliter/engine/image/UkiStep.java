package dev.twoliter.engine.image;

import dev.twoliter.engine.Arch;
import dev.twoliter.engine.Terms;
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
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The UKI step (uki.sh): one EFI executable made of systemd's EFI stub, the kernel, the complete
 * command line (the dm-verity table with the measured root hash included) and os-release. The
 * firmware starts it as the EFI system partition's default loader; there is no GRUB and no BOOT
 * partition. objcopy stamps the wall clock into the executable, so the time stamp and checksum are
 * set here afterwards ({@link PeImage}). An image with A/B banks gets one UKI per bank, each with its
 * own command line, and systemd-boot to choose between them ({@link UkiBanks}).
 */
final class UkiStep {
    static final String SCRIPT = StepScripts.script(UkiStep.class, "uki.sh");

    private UkiStep() {}

    /** What uki.sh reads. */
    record Environment(Arch arch, boolean systemdBoot) implements StepEnvironment {
        @Override
        public Map<String, String> render() {
            Map<String, String> env = StepEnvironment.common();
            env.put("EFI_ARCH", DefaultEfiLoader.suffix(arch));
            env.put("SYSTEMD_BOOT", Boolean.toString(systemdBoot));
            return env;
        }
    }

    /** What the step made: the UKIs by name (as given with their command lines) and systemd-boot, if asked for. */
    record Made(Map<String, Path> ukis, Path systemdBoot) {}

    /** One UKI, {@code uki}, the default loader of a one-bank image. */
    static Path run(StepContext steps, VariantBuildRequest request, PartitionPlan plan, RootFilesystemStep.Root root,
            String commandLine, Path osRelease, Path dir) throws TwoliterException, IOException {
        return run(steps, request, plan, root, Map.of("uki", commandLine), osRelease, dir, false).ukis().get("uki");
    }

    /**
     * One UKI per command line, named by the map's keys (fixed names from the plugin: they become
     * file names), and systemd-boot when {@code systemdBoot}.
     */
    static Made run(StepContext steps, VariantBuildRequest request, PartitionPlan plan, RootFilesystemStep.Root root,
            Map<String, String> commandLines, Path osRelease, Path dir, boolean systemdBoot)
            throws TwoliterException, IOException {
        if (!root.hasKernel()) {
            throw new TwoliterException(request.module() + ": " + request.terms().setting(Terms.Setting.BOOTLOADER) + " uki needs a kernel, but no installed package has"
                    + " /boot/vmlinuz. Add a kernel package to the variant (from a kit such as the example kernel kit),"
                    + " or choose another bootloader.");
        }
        AtomicFiles.deleteTree(dir);
        Path in = Files.createDirectories(dir.resolve("in"));
        Path out = dir.resolve("out");
        Map<String, Path> inputs = new LinkedHashMap<>();
        inputs.put("/work/in/boot.tar", root.bootFiles());
        Path cmdlines = Files.createDirectories(in.resolve("cmdline"));
        for (Map.Entry<String, String> c : new java.util.TreeMap<>(commandLines).entrySet()) {
            inputs.put("/work/in/cmdline/" + c.getKey(), Files.writeString(cmdlines.resolve(c.getKey()), c.getValue()));
        }
        inputs.put("/work/in/os-release", osRelease);
        steps.log().info("Making the Unified Kernel Image of " + request.module());
        ContainerStep step = new ContainerStep(request.module().replace(':', '-') + "-uki", steps.sdk(), SCRIPT,
                new Environment(request.arch(), systemdBoot).render(), inputs, Map.of(), "/work/out", out,
                request.workDir().resolve("variant-uki.log"), request.timeout(),
                line -> steps.log().info("[uki] " + line));
        StepOutcome outcome = steps.run(step, request.workDir().resolve("scratch"));
        ImageStepFailure.failUnlessSucceeded(request, plan, outcome, "making the UKI");
        Map<String, Path> ukis = new LinkedHashMap<>();
        for (String name : new java.util.TreeSet<>(commandLines.keySet())) {
            Path uki = out.resolve(name + ".efi");
            if (!Files.isRegularFile(uki)) {
                throw new TwoliterException(request.module() + ": the UKI step left no " + name + ".efi. Full log: "
                        + outcome.logFile());
            }
            try {
                PeImage.setTimestampAndChecksum(uki, request.epoch().getEpochSecond());
            } catch (IllegalArgumentException e) {
                throw new TwoliterException(request.module() + ": the UKI the SDK made is not a PE executable: "
                        + e.getMessage() + ". Full log: " + outcome.logFile());
            }
            ukis.put(name, uki);
        }
        String systemdBootName = "systemd-boot" + DefaultEfiLoader.suffix(request.arch()) + ".efi";
        Path systemdBootFile = out.resolve(systemdBootName);
        if (systemdBoot && !Files.isRegularFile(systemdBootFile)) {
            throw new TwoliterException(request.module() + ": the UKI step left no " + systemdBootName + ". Full log: "
                + outcome.logFile());
        }
        return new Made(Map.copyOf(ukis), systemdBoot ? systemdBootFile : null);
    }
}
