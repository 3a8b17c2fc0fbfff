package dev.twoliter.engine.image;

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
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The disk step (disk-image.sh): the boot, EFI, private and data filesystems, the GPT disk(s) with
 * every part placed, GRUB's BIOS boot code when the image has it, and the requested formats. Every
 * offset, size, GUID and UUID comes from the plugin; the step measures nothing.
 */
final class DiskImageStep {
    static final String SCRIPT = StepScripts.script(DiskImageStep.class, "image-functions.sh", "disk-image.sh");
    /** The partitions whose offsets and sizes the script places, with the variable prefix it knows them by. */
    private static final Map<String, String> PLACED = Map.of("BIOS-BOOT", "BIOS", "EFI-SYSTEM", "EFI",
            "BOTTLEROCKET-BOOT-A", "BOOT", "BOTTLEROCKET-ROOT-A", "ROOT", "BOTTLEROCKET-HASH-A", "HASH",
            "BOTTLEROCKET-PRIVATE", "PRIVATE");
    private static final long SECTORS_PER_MIB = 2048;

    private DiskImageStep() {}

    /**
     * What boots the image, each file optional: grub.cfg for BOOT-A, the EFI system partition's
     * default loader, GRUB's patched BIOS boot code (the MBR's first 440 bytes and the core image), and
     * the A/B state GRUB's first stage reads (a GRUB environment block for the EFI system partition),
     * and more files for the EFI system partition by their path there (systemd-boot's loader.conf and
     * the banks' UKIs; paths fixed by the plugin).
     */
    record BootFiles(Path grubConfig, Path efiLoader, Path mbrCode, Path coreImage, Path bankState,
            Map<String, Path> espFiles) {
        static final BootFiles NONE = new BootFiles(null, null, null, null, null, Map.of());

        BootFiles(Path grubConfig, Path efiLoader, Path mbrCode, Path coreImage, Path bankState) {
            this(grubConfig, efiLoader, mbrCode, coreImage, bankState, Map.of());
        }
    }

    /** What disk-image.sh reads. */
    record Environment(ImageOptions options, PartitionPlan plan, DiskIdentities ids, String baseName,
            Instant sourceDateEpoch) implements StepEnvironment {
        @Override
        public Map<String, String> render() {
            Map<String, String> env = StepEnvironment.common();
            env.put("SDE", Long.toString(sourceDateEpoch.getEpochSecond()));
            env.put("ROOT_FS", options.rootFilesystem().toString());
            env.put("FORMATS", String.join(" ", options.formats().stream().map(Object::toString).sorted().toList()));
            env.put("COMPRESSION", options.compression().toString());
            env.put("BASE", baseName);
            env.put("ESP_ID", ids.espVolumeId());
            env.put("VMDK_CID", ids.vmdkContentId());
            for (String name : List.of("boot-fs", "private-fs", "data-fs")) {
                env.put("UUID_" + name.toUpperCase(Locale.ROOT).replace('-', '_'), ids.uuids().get(name));
            }
            env.put("BOOT_PARTITION", Boolean.toString(plan.findOsPartition("BOTTLEROCKET-BOOT-A").isPresent()));
            PLACED.forEach((label, key) -> {
                // Without BOOT partitions (a UKI image) BOOT_* stay 0 and unused.
                PartitionPlan.Partition p = plan.findOsPartition(label).orElse(null);
                env.put(key + "_START", p == null ? "0" : Long.toString(p.startMib()));
                env.put(key + "_MIB", p == null ? "0" : Long.toString(p.sizeMib()));
            });
            PartitionPlan.Partition data = plan.dataPartition();
            env.put("DATA_START", Long.toString(data.startMib()));
            env.put("DATA_MIB", Long.toString(data.sizeMib()));
            env.put("DATA_ON_OS_DISK", Boolean.toString(plan.dataDisk().isEmpty()));
            env.put("OS_DISK_MIB", Long.toString(plan.osDiskMib()));
            env.put("DATA_DISK_MIB", Long.toString(plan.dataDiskMib()));
            return env;
        }
    }

    static void run(StepContext steps, VariantBuildRequest request, PartitionPlan plan, DiskIdentities ids,
            RootFilesystemStep.Root root, BootFiles boot, Path metadata) throws TwoliterException, IOException {
        AtomicFiles.deleteTree(request.outputDir());
        Map<String, Path> inputs = new LinkedHashMap<>();
        inputs.put("/work/in/root.img.lz4", root.image());
        inputs.put("/work/in/verity.img", root.verity());
        inputs.put("/work/in/boot.tar", root.bootFiles());
        inputs.put("/work/in/efi.tar", root.efiFiles());
        inputs.put("/work/in/application-inventory.json", metadata.resolve("application-inventory.json"));
        putIfPresent(inputs, "/work/in/grub.cfg", boot.grubConfig());
        putIfPresent(inputs, "/work/in/" + DefaultEfiLoader.fileName(request.arch()), boot.efiLoader());
        putIfPresent(inputs, "/work/in/mbr-code.bin", boot.mbrCode());
        putIfPresent(inputs, "/work/in/core.img", boot.coreImage());
        putIfPresent(inputs, "/work/in/grubenv", boot.bankState());
        for (Map.Entry<String, Path> f : new java.util.TreeMap<>(boot.espFiles()).entrySet()) {
            inputs.put("/work/in/esp/" + f.getKey(), f.getValue());
        }
        Path tables = Files.createDirectories(request.workDir().resolve("partition-tables"));
        writeTable(inputs, tables, "os", table(plan.osDisk(), plan.osDiskMib(), ids.uuids().get("disk"), ids.uuids(), true));
        if (!plan.dataDisk().isEmpty()) {
            writeTable(inputs, tables, "data", table(plan.dataDisk(), plan.dataDiskMib(), ids.uuids().get("data-disk"),
                    Map.of("part:BOTTLEROCKET-DATA", PartitionPlan.DATA_PARTITION_GUID), false));
        }
        ImageOptions o = request.options();
        steps.log().info("Assembling the disk image of " + request.module() + " (" + plan.osDiskMib() + " MiB OS disk"
                + (plan.dataDisk().isEmpty() ? "" : ", " + plan.dataDiskMib() + " MiB data disk") + ", bootloader "
                + o.bootloader() + ")");
        ContainerStep step = new ContainerStep(request.module().replace(':', '-') + "-disk", steps.sdk(), SCRIPT,
                new Environment(o, plan, ids, request.baseName(), request.epoch()).render(), inputs, Map.of(),
                "/work/out", request.outputDir(), request.workDir().resolve("variant-image.log"), request.timeout(),
                line -> steps.log().info("[disk] " + line));
        StepOutcome outcome = steps.run(step, request.workDir().resolve("scratch"));
        ImageStepFailure.failUnlessSucceeded(request, plan, outcome, "assembling the disk image");
    }

    private static void putIfPresent(Map<String, Path> inputs, String containerPath, Path file) {
        if (file != null) {
            inputs.put(containerPath, file);
        }
    }

    /** A disk's partition table: fixed disk and partition GUIDs, labels, types, gptprio bits on BOOT-A. */
    static GuidPartitionTable table(List<PartitionPlan.Partition> partitions, long diskMib, String diskGuid,
            Map<String, String> guids, boolean osDisk) {
        List<GuidPartitionTable.Entry> entries = new java.util.ArrayList<>();
        for (PartitionPlan.Partition p : partitions) {
            long attributes = 0;
            if (osDisk && p.label().equals("BOTTLEROCKET-BOOT-A")) {
                for (int bit : PartitionPlan.BOOT_A_ATTRIBUTE_BITS) {
                    attributes |= 1L << bit;
                }
            }
            entries.add(new GuidPartitionTable.Entry(p.number(), UUID.fromString(p.type()),
                    UUID.fromString(guids.get("part:" + p.label())), p.startMib() * SECTORS_PER_MIB,
                    p.endMib() * SECTORS_PER_MIB - 1, attributes, p.gptName()));
        }
        return new GuidPartitionTable(diskMib * SECTORS_PER_MIB, UUID.fromString(diskGuid), entries);
    }

    /** The table's two halves as the step's inputs {@code <disk>-gpt-primary.bin} and {@code <disk>-gpt-backup.bin}. */
    private static void writeTable(Map<String, Path> inputs, Path dir, String disk, GuidPartitionTable table)
            throws IOException {
        Path primary = Files.write(dir.resolve(disk + "-gpt-primary.bin"), table.primary());
        Path backup = Files.write(dir.resolve(disk + "-gpt-backup.bin"), table.backup());
        inputs.put("/work/in/" + disk + "-gpt-primary.bin", primary);
        inputs.put("/work/in/" + disk + "-gpt-backup.bin", backup);
    }
}
