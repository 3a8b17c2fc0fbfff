package dev.twoliter.engine.vm;

import dev.twoliter.engine.Arch;
import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.image.BootableImage;
import dev.twoliter.engine.image.ImageOptions;
import dev.twoliter.engine.io.AtomicFiles;
import dev.twoliter.engine.sdk.ContainerStep;
import dev.twoliter.engine.sdk.SdkContainers;
import dev.twoliter.engine.sdk.SdkImage;
import dev.twoliter.engine.sdk.StepEnvironment;
import dev.twoliter.engine.sdk.StepOutcome;
import dev.twoliter.engine.sdk.StepScripts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;

/**
 * Boots a built variant in QEMU inside the SDK (run-vm.sh), so that nothing is needed on this
 * machine but Docker: SeaBIOS or OVMF for x86_64 images, AAVMF on QEMU's virt machine for aarch64
 * ones, KVM when it works here (for the machine's own arch) and software emulation otherwise, the
 * serial console streamed to the build log. QEMU exits normally even after a kernel panic, so the
 * outcome is decided from the console.
 */
public final class VmRun {
    static final String SCRIPT = StepScripts.script(VmRun.class, "run-vm.sh");
    /** Lines that say why a boot failed, most telling first. */
    private static final List<Failure> FAILURES = List.of(
            new Failure(Pattern.compile("dm-verity device corrupted"), "dm-verity found corrupted data on the root"
                    + " filesystem, so the kernel restarted"),
            new Failure(Pattern.compile("device-mapper: verity: .*corrupted"), "dm-verity found corrupted data on the"
                    + " root filesystem"),
            new Failure(Pattern.compile("Access Denied|Security Violation"), "the firmware refused to start the"
                    + " EFI loader; with Secure Boot enforced, that means the loader is not signed by a key in the"
                    + " firmware's db (sign the image with twoliter.secureBootSigningKey and enroll its certificate)"),
            new Failure(Pattern.compile("Kernel panic"), "the kernel panicked"),
            new Failure(Pattern.compile("^error: "), "GRUB reported an error"),
            new Failure(Pattern.compile("No bootable (device|option)|Boot failed"), "the firmware found nothing to boot"));
    private static final int LOG_TAIL_LINES = 25;
    /** OVMF_VARS_4M.fd: the variable store that goes with the 4 MiB Secure Boot firmware. */
    static final long EFI_VARIABLE_STORE_BYTES = 540_672;
    /** AAVMF_VARS.fd: the variable store of aarch64's firmware, the size of the virt machine's flash. */
    static final long AARCH64_EFI_VARIABLE_STORE_BYTES = 64L << 20;

    private final SdkContainers containers;
    private final BuildLog log;

    public VmRun(SdkContainers containers, BuildLog log) {
        this.containers = containers;
        this.log = log;
    }

    private record Failure(Pattern line, String meaning) {}

    /** What run-vm.sh reads. */
    record Environment(Arch arch, String accel, int memoryMib, String diskFormat,
            ImageOptions.Compression compression, String firmware, boolean secureBoot, String expect, Duration runTime,
            Optional<DiskSession> session) implements StepEnvironment {
        @Override
        public Map<String, String> render() {
            Map<String, String> env = StepEnvironment.common();
            env.put("ARCH", arch.rpmName());
            env.put("PERSIST", Boolean.toString(session.isPresent()));
            session.ifPresent(s -> {
                env.put("BOOT_STATE", s.loader());
                s.ukiTry().ifPresent(bank -> env.put("UKI_TRY_BANK", bank.name().toLowerCase(java.util.Locale.ROOT)));
                env.put("PAYLOAD_COMPRESSION", s.payloadCompression());
                s.partitions().forEach((name, p) -> {
                    String key = name.toUpperCase(java.util.Locale.ROOT);
                    env.put(key + "_START_MIB", Long.toString(p.startMib()));
                    env.put(key + "_MIB", Long.toString(p.sizeMib()));
                });
            });
            env.put("ACCEL", accel);
            env.put("MEMORY_MIB", Integer.toString(memoryMib));
            // A decompressed raw disk is plain raw for QEMU.
            env.put("DISK_FORMAT", diskFormat);
            env.put("COMPRESSION", compression.toString());
            env.put("FIRMWARE", firmware);
            env.put("SECURE_BOOT", Boolean.toString(secureBoot));
            env.put("EXPECT", expect);
            env.put("RUN_SECONDS", Long.toString(runTime.toSeconds()));
            return env;
        }
    }

    /**
     * How a boot ended: {@code result} as run-vm.sh reported it, the console, and the step's output
     * directory (with a disk session: {@code boot-state} and {@code os.img.zst}).
     */
    public record Boot(String result, StepOutcome outcome, Path outputs, Duration took) {
        /** What the console shows that explains a failed boot, if anything. */
        public Optional<String> failure() {
            return diagnose(outcome.logText());
        }
    }

    /** Boots the image; returns normally only if the run succeeded. */
    public void run(VmRunRequest request) throws TwoliterException, IOException {
        Boot boot = boot(request);
        judge(request, boot.outcome(), boot.result(), request.expect().orElse(""), boot.took());
    }

    /** Boots the image and says how the boot ended, without judging it. */
    public Boot boot(VmRunRequest request) throws TwoliterException, IOException {
        BootableImage image = request.image();
        String firmware = firmware(request);
        Path os = request.osImageOverride().orElse(image.osImage());
        if (!Files.isRegularFile(os)) {
            throw new TwoliterException(request.module() + ": the OS disk " + os + " does not exist; build the variant"
                    + " first.");
        }
        String accel = accel(request.accel(), image.arch());
        Map<String, Path> inputs = new LinkedHashMap<>();
        inputs.put("/work/in/os", os);
        image.dataImage().filter(Files::isRegularFile).ifPresent(d -> inputs.put("/work/in/data", d));
        request.userDataDisk().ifPresent(d -> inputs.put("/work/in/user-data", d));
        if (request.efiVariables().isPresent()) {
            Path vars = request.efiVariables().get();
            boolean aarch64 = image.arch() == Arch.AARCH64;
            long size = aarch64 ? AARCH64_EFI_VARIABLE_STORE_BYTES : EFI_VARIABLE_STORE_BYTES;
            if (!Files.isRegularFile(vars) || Files.size(vars) != size) {
                throw new TwoliterException(request.module() + ": the EFI variable store " + vars + " is not a file of "
                        + size + " bytes (the size of " + (aarch64 ? "AAVMF_VARS.fd, which the SDK's aarch64 firmware"
                        + " AAVMF_CODE.fd pairs with" : "OVMF_VARS_4M.fd, which the SDK's Secure Boot firmware"
                        + " OVMF_CODE_4M.secboot.fd pairs with") + ").");
            }
            inputs.put("/work/in/efi-vars", vars);
        }
        String expect = request.expect().orElse("");
        Path dir = request.workDir().resolve("run");
        AtomicFiles.deleteTree(dir);
        SdkImage sdk = containers.sdkImage(request.sdkImage(), request.pullSdk(), log);
        String testStore = image.arch() == Arch.AARCH64 ? "AAVMF snakeoil" : "OVMF snakeoil";
        log.info("Booting " + os.getFileName() + " of " + request.module() + " with " + firmware.toUpperCase(
                java.util.Locale.ROOT) + " firmware (" + (image.arch() == Arch.X86_64 ? "" : image.arch() + ", ")
                + (accel.equals("kvm") ? "KVM" : "software emulation") + ", at"
                + " most " + request.timeout().toSeconds() + " s" + (expect.isEmpty() ? "" : ", until the console shows "
                + Syntax.show(expect)) + ")" + (request.secureBoot() ? "; Secure Boot enforced, keys from "
                + request.efiVariables().map(Path::toString).orElse("the SDK's test store (" + testStore + ")") : ""));
        String diskFormat = image.diskFormat();
        ImageOptions.Compression compression = image.compression();
        if (request.session().isPresent()) {
            DiskSession session = request.session().get();
            diskFormat = "raw";
            compression = ImageOptions.Compression.ZSTD;
            session.currentState().ifPresent(current -> inputs.put("/work/in/grubenv-current", current));
            session.nextState().ifPresent(next -> inputs.put("/work/in/grubenv-next", next));
            session.payloads().forEach((name, file) -> inputs.put("/work/in/" + name + ".payload", file));
        }
        ContainerStep step = new ContainerStep(request.module().replace(':', '-') + "-vm", sdk, SCRIPT,
                new Environment(image.arch(), accel, request.memoryMib(), diskFormat, compression, firmware,
                        request.secureBoot(), expect, request.timeout(), request.session()).render(), inputs, Map.of(),
                "/work/out", dir.resolve("out"),
                request.workDir().resolve("vm-console.log"), request.timeout().plusMinutes(2),
                line -> log.info("[vm] " + line), accel.equals("kvm") ? List.of("/dev/kvm") : List.of());
        long started = System.nanoTime();
        StepOutcome outcome = containers.run(step, dir.resolve("scratch"));
        String result = result(request, outcome, dir.resolve("out/run.toml"));
        return new Boot(result, outcome, dir.resolve("out"), Duration.ofNanos(System.nanoTime() - started));
    }

    /** BIOS unless the image needs UEFI; checks that the image can boot at all before anything runs. */
    static String firmware(VmRunRequest request) throws TwoliterException {
        BootableImage image = request.image();
        String module = request.module();
        if (image.bootloader() == ImageOptions.Bootloader.NONE) {
            throw new TwoliterException(module + ": the image has no bootloader (bootloader none), so it cannot boot"
                    + " on its own; build it with bootloader grub or uki to run it.");
        }
        if (!image.hasKernel()) {
            throw new TwoliterException(module + ": the image has no kernel: no installed package has /boot/vmlinuz."
                    + " Add a kernel package to the variant (for example from the example kernel kit) and build it"
                    + " again.");
        }
        List<String> possible = image.firmware();
        String firmware = request.firmware().filter(f -> !f.equals("auto"))
                .orElse(request.secureBoot() && possible.contains("uefi") ? "uefi" : possible.get(0));
        if (request.secureBoot() && !firmware.equals("uefi")) {
            throw new TwoliterException(module + ": Secure Boot is a UEFI feature, but " + (possible.contains("uefi")
                    ? "the firmware asked for is " + Syntax.show(firmware) : "an image with bootloader "
                    + image.bootloader() + " boots with " + String.join(" or ", possible) + " firmware only") + ".");
        }
        if (!List.of("bios", "uefi").contains(firmware)) {
            throw new TwoliterException(module + ": the firmware " + Syntax.show(firmware) + " is unknown; use bios,"
                    + " uefi or auto.");
        }
        if (!possible.contains(firmware)) {
            if (firmware.equals("bios") && image.arch() != Arch.X86_64) {
                throw new TwoliterException(module + ": the image is for " + image.arch() + ", whose machines have no"
                        + " BIOS; it boots with uefi firmware only (AAVMF on QEMU's virt machine).");
            }
            throw new TwoliterException(module + ": an image with bootloader " + image.bootloader() + " boots with "
                    + String.join(" or ", possible) + " firmware only, not " + firmware + ".");
        }
        return firmware;
    }

    /**
     * KVM only where it can work: a usable /dev/kvm, a processor with virtualization extensions, and an
     * image of this machine's own arch (an aarch64 image on an x86_64 machine is always emulated).
     */
    static String accel(String requested, Arch image) throws TwoliterException {
        boolean foreign = !image.rpmName().equals(Arch.host());
        return switch (requested) {
            case "tcg" -> "tcg";
            case "kvm" -> {
                if (foreign) {
                    throw new TwoliterException("KVM was asked for, but the image is for " + image + " and this"
                            + " machine is " + Arch.host() + ": KVM runs only the machine's own arch; use accel tcg"
                            + " or auto.");
                }
                if (!kvmUsable()) {
                    throw new TwoliterException("KVM was asked for, but this machine offers none (/dev/kvm missing or"
                            + " not usable, or no vmx/svm processor flag); use accel tcg or auto.");
                }
                yield "kvm";
            }
            case "auto" -> !foreign && kvmUsable() ? "kvm" : "tcg";
            default -> throw new TwoliterException("the accelerator " + Syntax.show(requested) + " is unknown; use auto,"
                    + " kvm or tcg.");
        };
    }

    private static boolean kvmUsable() {
        Path kvm = Path.of("/dev/kvm");
        if (!Files.isReadable(kvm) || !Files.isWritable(kvm)) {
            return false;
        }
        try {
            String cpu = Files.readString(Path.of("/proc/cpuinfo"));
            return Pattern.compile("^flags\\s*:.*\\b(vmx|svm)\\b", Pattern.MULTILINE).matcher(cpu).find();
        } catch (IOException e) {
            return false;
        }
    }

    private static String result(VmRunRequest request, StepOutcome outcome, Path file)
            throws TwoliterException, IOException {
        if (!outcome.succeeded() || !Files.isRegularFile(file) || Files.size(file) > 1024) {
            throw new TwoliterException(request.module() + ": the virtual machine could not be started. Last lines of"
                    + " the log:\n    " + String.join("\n    ", outcome.logTail(LOG_TAIL_LINES)) + "\nFull log: "
                    + outcome.logFile());
        }
        TomlParseResult toml = Toml.parse(file);
        Object result = toml.get("result");
        if (toml.hasErrors() || !(result instanceof String r)
                || !List.of("exited", "expected", "timeout", "stuck").contains(r)) {
            throw new TwoliterException(request.module() + ": the run reported no valid result in " + file
                    + ". Full log: " + outcome.logFile());
        }
        return r;
    }

    /** Fails unless the boot did what the request expects (the console text, or a clean power-off). */
    void judge(VmRunRequest request, Boot boot) throws TwoliterException {
        judge(request, boot.outcome(), boot.result(), request.expect().orElse(""), boot.took());
    }

    private void judge(VmRunRequest request, StepOutcome outcome, String result, String expect, Duration took)
            throws TwoliterException {
        String seconds = String.format(java.util.Locale.ROOT, "%.1f s", took.toMillis() / 1000.0);
        if (result.equals("expected")) {
            log.info(request.module() + ": the console showed " + Syntax.show(expect) + " after " + seconds);
            return;
        }
        Optional<String> failure = diagnose(outcome.logText());
        String tail = ". Last lines of the console:\n    " + String.join("\n    ", outcome.logTail(LOG_TAIL_LINES))
                + "\nFull console log: " + outcome.logFile();
        if (failure.isPresent()) {
            throw new TwoliterException(request.module() + ": the image did not boot: " + failure.get() + tail);
        }
        if (result.equals("stuck")) {
            throw new TwoliterException(request.module() + ": the firmware found nothing it could boot and stopped"
                    + tail);
        }
        if (result.equals("timeout")) {
            throw new TwoliterException(request.module() + ": " + (expect.isEmpty() ? "the machine was still running"
                    : "the console did not show " + Syntax.show(expect)) + " after " + request.timeout().toSeconds()
                    + " s" + tail);
        }
        if (!expect.isEmpty()) {
            throw new TwoliterException(request.module() + ": the machine powered off without the console showing "
                    + Syntax.show(expect) + tail);
        }
        log.info(request.module() + ": the machine powered off after " + seconds);
    }

    /** The first console line that explains a failed boot, with what it means. */
    static Optional<String> diagnose(String console) {
        List<String> lines = console.lines().toList();
        for (Failure failure : FAILURES) {
            for (String line : lines) {
                if (failure.line().matcher(line).find()) {
                    return Optional.of(failure.meaning() + " (\"" + line.strip() + "\")");
                }
            }
        }
        return Optional.empty();
    }
}
