package dev.twoliter.engine.image;

import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.Terms;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.build.StepContext;
import dev.twoliter.engine.io.AtomicFiles;
import dev.twoliter.engine.sdk.ContainerStep;
import dev.twoliter.engine.sdk.StepEnvironment;
import dev.twoliter.engine.sdk.StepExit;
import dev.twoliter.engine.sdk.StepOutcome;
import dev.twoliter.engine.sdk.StepScripts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tomlj.Toml;
import org.tomlj.TomlParseResult;

/**
 * The image step (assemble-image.sh): the root filesystem and its dm-verity hash tree, the boot,
 * EFI, private and data filesystems, the GPT disk(s) and the requested formats. The step measures
 * the root (its hash and size in blocks) and reports only that; the plugin rendered everything
 * else.
 */
final class AssembleImageStep {
    static final String SCRIPT = StepScripts.script(AssembleImageStep.class, "assemble-image.sh");
    /** The partitions whose offsets and sizes the script places, with the variable prefix it knows them by. */
    private static final Map<String, String> PLACED = Map.of("EFI-SYSTEM", "EFI", "BOTTLEROCKET-BOOT-A", "BOOT",
            "BOTTLEROCKET-ROOT-A", "ROOT", "BOTTLEROCKET-HASH-A", "HASH", "BOTTLEROCKET-PRIVATE", "PRIVATE");

    private AssembleImageStep() {}

    /** What the image step measured. */
    record ImageFacts(String rootHash, long dataBlocks) {}

    /** What assemble-image.sh reads. */
    record Environment(ImageOptions options, PartitionPlan plan, DiskIdentities ids, String baseName,
            Instant sourceDateEpoch) implements StepEnvironment {
        @Override
        public Map<String, String> render() {
            Map<String, String> env = new LinkedHashMap<>(StepExit.environment());
            env.put("TZ", "UTC");
            env.put("LC_ALL", "C.UTF-8");
            env.put("SDE", Long.toString(sourceDateEpoch.getEpochSecond()));
            env.put("ROOT_FS", options.rootFilesystem().toString());
            env.put("FORMATS", String.join(" ", options.formats().stream().map(Object::toString).sorted().toList()));
            env.put("COMPRESSION", options.compression().toString());
            env.put("BASE", baseName);
            env.put("SALT", ids.salt());
            env.put("ESP_ID", ids.espVolumeId());
            env.put("VMDK_CID", ids.vmdkContentId());
            // The disks' own GUIDs reach the script inside the sgdisk arguments.
            for (String name : DiskIdentities.NAMES) {
                if (!name.equals("disk") && !name.equals("data-disk")) {
                    env.put("UUID_" + name.toUpperCase(Locale.ROOT).replace('-', '_'), ids.uuids().get(name));
                }
            }
            PLACED.forEach((label, key) -> {
                PartitionPlan.Partition p = plan.osPartition(label);
                env.put(key + "_START", Long.toString(p.startMib()));
                env.put(key + "_MIB", Long.toString(p.sizeMib()));
            });
            PartitionPlan.Partition data = plan.dataPartition();
            env.put("DATA_START", Long.toString(data.startMib()));
            env.put("DATA_MIB", Long.toString(data.sizeMib()));
            env.put("DATA_ON_OS_DISK", Boolean.toString(plan.dataDisk().isEmpty()));
            env.put("OS_DISK_MIB", Long.toString(plan.osDiskMib()));
            env.put("DATA_DISK_MIB", Long.toString(plan.dataDiskMib()));
            env.put("OS_SGDISK", String.join("\n", sgdiskArguments(plan.osDisk(), ids.uuids().get("disk"),
                    ids.uuids(), true)));
            env.put("DATA_SGDISK", plan.dataDisk().isEmpty() ? "" : String.join("\n", sgdiskArguments(plan.dataDisk(),
                    ids.uuids().get("data-disk"), Map.of("part:BOTTLEROCKET-DATA", PartitionPlan.DATA_PARTITION_GUID),
                    false)));
            return env;
        }
    }

    static ImageFacts run(StepContext steps, VariantBuildRequest request, PartitionPlan plan, DiskIdentities ids,
            Path rootTar, Path metadata, Path staging) throws TwoliterException, IOException {
        AtomicFiles.deleteTree(request.outputDir());
        Map<String, Path> inputs = new LinkedHashMap<>();
        inputs.put("/work/in/root.tar", rootTar);
        for (String f : ImageMetadata.FILES) {
            inputs.put("/work/in/" + f, metadata.resolve(f));
        }
        ImageOptions o = request.options();
        Files.createDirectories(staging);
        inputs.put("/work/in/grub.cfg.in", Files.writeString(staging.resolve("grub.cfg.in"), BootConfig.grubTemplate(
                GrubQuoting.quote(o.prettyName() + " " + request.version()), o.kernelParameters(), ids.salt())));
        steps.log().info("Assembling the " + o.rootFilesystem() + " image of " + request.module() + " ("
                + plan.osDiskMib() + " MiB OS disk" + (plan.dataDisk().isEmpty() ? "" : ", " + plan.dataDiskMib()
                + " MiB data disk") + ")");
        ContainerStep step = new ContainerStep(request.module().replace(':', '-') + "-image", steps.sdk(), SCRIPT,
                new Environment(o, plan, ids, request.baseName(), request.epoch()).render(), inputs, Map.of(),
                "/work/out", request.outputDir(), request.workDir().resolve("variant-image.log"), request.timeout(),
                line -> steps.log().info("[image] " + line));
        StepOutcome outcome = steps.run(step, request.workDir().resolve("scratch"));
        failUnlessSucceeded(request, plan, outcome);
        Path factsFile = request.outputDir().resolve("image-facts.toml");
        ImageFacts facts = readFacts(factsFile, outcome);
        Files.delete(factsFile);
        return facts;
    }

    private static void failUnlessSucceeded(VariantBuildRequest request, PartitionPlan plan, StepOutcome outcome)
            throws TwoliterException {
        if (outcome.exitCode() == StepExit.TOO_SMALL.code()) {
            String detail = lastLineWith(outcome, "twoliter: too small:");
            String advice = detail.startsWith("EFI-SYSTEM")
                    ? "The EFI system partition has a fixed size (" + plan.osPartition("EFI-SYSTEM").sizeMib()
                            + " MiB); ship smaller files under /boot/efi"
                    : "Raise " + request.terms().setting(Terms.Setting.OS_IMAGE_SIZE) + " (now "
                            + request.options().osImageSizeGib() + ")";
            throw new TwoliterException(request.module() + ": the image is too small for its content: " + detail + ". "
                    + advice + ". Full log: " + outcome.logFile());
        }
        if (!outcome.succeeded()) {
            throw new TwoliterException(request.module() + ": assembling the image failed"
                    + (outcome.exitCode() == StepExit.VERITY.code() ? " (dm-verity verification)" : "")
                    + ". Last lines of the log:\n    " + String.join("\n    ", outcome.logTail(30)) + "\nFull log: "
                    + outcome.logFile());
        }
    }

    /** Reads what the step measured, refusing anything that is not a root hash and a block count. */
    static ImageFacts readFacts(Path file, StepOutcome outcome) throws TwoliterException, IOException {
        if (!Files.isRegularFile(file) || Files.size(file) > 4096) {
            throw new TwoliterException("the image step ended without writing " + file.getFileName() + " (the root"
                    + " hash and block count), or wrote more than 4 KiB; check that the SDK image follows"
                    + " docs/sdk-contract.md. Full log: " + outcome.logFile());
        }
        TomlParseResult toml = Toml.parse(file);
        Object hash = toml.get("root-hash");
        Object blocks = toml.get("data-blocks");
        if (toml.hasErrors() || !(hash instanceof String h) || !Syntax.isSha256(h) || !(blocks instanceof Long b)
                || b <= 0) {
            throw new TwoliterException("the image step reported no valid root hash and block count in " + file
                    + ". Full log: " + outcome.logFile());
        }
        return new ImageFacts(h, b);
    }

    private static String lastLineWith(StepOutcome outcome, String marker) {
        String found = "see the log";
        for (String line : outcome.logText().split("\n")) {
            if (line.startsWith(marker)) {
                found = line.substring(marker.length()).trim();
            }
        }
        return found;
    }

    /** sgdisk arguments for a disk: fixed disk and partition GUIDs, labels, types, gptprio bits on BOOT-A. */
    static List<String> sgdiskArguments(List<PartitionPlan.Partition> partitions, String diskGuid,
            Map<String, String> guids, boolean osDisk) {
        List<String> args = new java.util.ArrayList<>(List.of("--clear", "--set-alignment=2048",
                "--disk-guid=" + diskGuid));
        for (PartitionPlan.Partition p : partitions) {
            long first = p.startMib() * 2048;
            long last = p.endMib() * 2048 - 1;
            args.add("--new=" + p.number() + ":" + first + ":" + last);
            if (!p.gptName().isEmpty()) {
                args.add("--change-name=" + p.number() + ":" + p.gptName());
            }
            args.add("--typecode=" + p.number() + ":" + p.type());
            args.add("--partition-guid=" + p.number() + ":" + guids.get("part:" + p.label()));
            if (osDisk && p.label().equals("BOTTLEROCKET-BOOT-A")) {
                for (int bit : PartitionPlan.BOOT_A_ATTRIBUTE_BITS) {
                    args.add("--attributes=" + p.number() + ":set:" + bit);
                }
            }
        }
        return args;
    }
}
