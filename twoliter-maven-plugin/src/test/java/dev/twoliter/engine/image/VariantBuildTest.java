package dev.twoliter.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.Arch;
import dev.twoliter.engine.RecordingLog;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.module.ModuleBuildRunner;
import dev.twoliter.engine.io.Digests;
import dev.twoliter.engine.io.Tars;
import dev.twoliter.engine.sdk.ContainerStep;
import dev.twoliter.engine.sdk.FakeSdkContainers;
import dev.twoliter.engine.sdk.StepScriptContract;
import dev.twoliter.engine.sdk.StepExit;
import dev.twoliter.maven.MavenTerms;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The variant pipeline against scripted containers: the order of its steps, what each receives,
 * what the build manifest records, the no-op rebuild, and how each step's failure is worded.
 */
class VariantBuildTest {
    private static final String ROOT_HASH = "ab".repeat(32);

    @TempDir
    Path dir;

    private final FakeSdkContainers containers = new FakeSdkContainers();
    private final RecordingLog log = new RecordingLog();
    private Path greetArchive;

    @BeforeEach
    void aLocalPackage() throws IOException {
        Path rpm = Files.writeString(dir.resolve("greet-1.0-1.x86_64.rpm"), "rpm bytes");
        greetArchive = dir.resolve("greet-1.0.rpm.tar");
        try (OutputStream out = Files.newOutputStream(greetArchive)) {
            Tars.write(Map.of("greet-1.0-1.x86_64.rpm", rpm), Instant.EPOCH, out);
        }
    }

    private VariantBuildRequest request(ImageOptions.Scriptlets scriptlets, List<String> kernelParameters) {
        return request(scriptlets, kernelParameters, ImageOptions.Bootloader.GRUB);
    }

    private VariantBuildRequest request(ImageOptions.Scriptlets scriptlets, List<String> kernelParameters,
            ImageOptions.Bootloader bootloader) {
        ImageOptions options = new ImageOptions(2, 1, PartitionPlan.Plan.SPLIT,
                bootloader != ImageOptions.Bootloader.UKI, ImageOptions.RootFilesystem.EXT4,
                Set.of(ImageOptions.ImageFormat.RAW), ImageOptions.Compression.ZSTD, kernelParameters, "Greet OS",
                scriptlets, bootloader);
        return new VariantBuildRequest("com.example:greet-os", "greet-os", "1.0.0", "abc12345", List.of("greet"),
                Map.of("com.example:greet", greetArchive), List.of(), List.of(), options, Arch.X86_64,
                "twoliter-sdk:0.3.0", false, Optional.of(Instant.ofEpochSecond(1700000000)), dir.resolve("work"),
                dir.resolve("out"), "greet-os-x86_64-1.0.0", Duration.ofMinutes(1), false, "test", MavenTerms.INSTANCE);
    }

    private VariantBuildRequest ukiBanksRequest() {
        VariantBuildRequest r = request(ImageOptions.Scriptlets.SKIP, List.of("console=ttyS0"), ImageOptions.Bootloader.UKI);
        ImageOptions o = r.options();
        return new VariantBuildRequest(r.module(), "greet-os", r.version(), "abc12345", List.of("greet"),
                Map.of("com.example:greet", greetArchive), List.of(), List.of(), new ImageOptions(o.osImageSizeGib(),
                        o.dataImageSizeGib(), o.partitionPlan(), true, o.rootFilesystem(), o.formats(), o.compression(),
                        o.kernelParameters(), o.prettyName(), o.scriptlets(), o.bootloader()), Arch.X86_64,
                "twoliter-sdk:0.3.0", false, Optional.of(Instant.ofEpochSecond(1700000000)), dir.resolve("work"),
                dir.resolve("out"), "greet-os-x86_64-1.0.0", Duration.ofMinutes(1), false, "test", MavenTerms.INSTANCE);
    }

    private VariantBuildRequest request() {
        return request(ImageOptions.Scriptlets.SKIP, List.of("console=ttyS0"));
    }

    private VariantBuildResult build(VariantBuildRequest request) throws Exception {
        return new ModuleBuildRunner(containers, log).run(new VariantBuild(request));
    }

    /** The steps of a GRUB image, each doing what its script would. */
    private FakeSdkContainers grubImage() {
        return containers.then(VariantBuildTest::installsGreet).then(VariantBuildTest::makesGrub)
                .then(VariantBuildTest::makesTheRoot).then(VariantBuildTest::assemblesTheDisk);
    }

    private static int installsArmGreet(ContainerStep step, Path out, StringBuilder log) throws IOException {
        // Only the image's arch reaches dnf.
        assertThat(step.inputs()).containsKey("/work/local/greet-1.0-1.aarch64.rpm")
                .doesNotContainKey("/work/local/greet-1.0-1.x86_64.rpm");
        log.append("Installed: greet-1.0-1.aarch64\n");
        return installsGreetTree(out, "aarch64");
    }

    private static int installsGreet(ContainerStep step, Path out, StringBuilder log) throws IOException {
        log.append("Installed: greet-1.0-1.x86_64\n");
        return installsGreetTree(out, "x86_64");
    }

    private static int installsGreetTree(Path out, String arch) throws IOException {
        Files.writeString(out.resolve("root.tar"), "root tree");
        Files.createDirectories(out.resolve("settings.d"));
        Files.writeString(out.resolve("settings.d/10-greet.toml"), "[settings.greet]\nname = \"world\"\n");
        Files.writeString(out.resolve("packages.toml"), "format-version = 1\n\n[[package]]\nname = \"greet\"\n"
                + "epoch = 0\nversion = \"1.0\"\nrelease = \"1\"\narch = \"" + arch + "\"\nscriptlets = [\"%post\"]\n"
                + "repository = \"local\"\ngroup = \"Applications\"\nurl = \"https://example.org\"\n"
                + "summary = \"Greets\"\n\n[[settings-fragment]]\nfile = \"10-greet.toml\"\nowner = \"greet\"\n");
        return 0;
    }

    /** grub-mkimage's outputs, as far as the plugin reads them: boot.img and core.img's blocklist. */
    private static int makesGrub(ContainerStep step, Path out, StringBuilder log) throws IOException {
        byte[] boot = new byte[512];
        boot[510] = 0x55;
        boot[511] = (byte) 0xaa;
        Files.write(out.resolve("boot.img"), boot);
        ByteBuffer core = ByteBuffer.allocate(4 * 512).order(ByteOrder.LITTLE_ENDIAN);
        core.putLong(500, 2).putShort(508, (short) 3).putShort(510, (short) 0x820);
        Files.write(out.resolve("core.img"), core.array());
        Files.writeString(out.resolve("grubx64.efi"), "MZ grub");
        return 0;
    }

    private static int makesTheRoot(ContainerStep step, Path out, StringBuilder log) throws IOException {
        return makesTheRoot(out, true);
    }

    private static int makesTheRoot(Path out, boolean kernel) throws IOException {
        return makesTheRoot(out, kernel, Map.of());
    }

    /** The root step's outputs; {@code efiFiles} are the root's /boot/efi (name in the tar to content). */
    private static int makesTheRoot(Path out, boolean kernel, Map<String, String> efiFiles) throws IOException {
        for (String name : List.of("root.img.lz4", "verity.img")) {
            Files.writeString(out.resolve(name), name);
        }
        Map<String, Path> efi = new java.util.TreeMap<>();
        for (Map.Entry<String, String> file : efiFiles.entrySet()) {
            efi.put(file.getKey(), Files.writeString(Files.createTempFile(out.getParent(), "efi", ""), file.getValue()));
        }
        for (Map.Entry<String, Map<String, Path>> tar : Map.of("boot.tar", Map.<String, Path>of(), "efi.tar", efi)
                .entrySet()) {
            try (OutputStream stream = Files.newOutputStream(out.resolve(tar.getKey()))) {
                Tars.write(tar.getValue(), Instant.EPOCH, stream);
            }
        }
        Files.writeString(out.resolve("image-facts.toml"), "root-hash = \"" + ROOT_HASH + "\"\ndata-blocks = 1000\n"
                + "kernel = " + kernel + "\n");
        return 0;
    }

    private static int makesTheUki(ContainerStep step, Path out, StringBuilder log) throws IOException {
        ByteBuffer pe = ByteBuffer.allocate(1024).order(ByteOrder.LITTLE_ENDIAN);
        pe.put(0, (byte) 'M').put(1, (byte) 'Z').putInt(0x3c, 0x80);
        pe.putInt(0x80, 0x0000_4550).putShort(0x84, (short) 0x8664).putInt(0x88, 123456);
        pe.putShort(0x80 + 20, (short) 0xf0).putShort(0x80 + 24, (short) 0x20b);
        Files.write(out.resolve("uki.efi"), pe.array());
        return 0;
    }

    /** The UKI step of an image with A/B banks: one UKI per bank and systemd-boot. */
    private static int makesTheBanksUkis(ContainerStep step, Path out, StringBuilder log) throws IOException {
        makesTheUki(step, out, log);
        Files.move(out.resolve("uki.efi"), out.resolve("uki-a.efi"));
        makesTheUki(step, out, log);
        Files.move(out.resolve("uki.efi"), out.resolve("uki-b.efi"));
        Files.writeString(out.resolve("systemd-bootx64.efi"), "systemd-boot");
        return 0;
    }

    private static int assemblesTheDisk(ContainerStep step, Path out, StringBuilder log) throws IOException {
        String base = step.environment().get("BASE");
        Files.writeString(out.resolve(base + "-os.img.zst"), "os disk");
        Files.writeString(out.resolve(base + "-data.img.zst"), "data disk");
        Files.writeString(out.resolve(base + "-application-inventory.json"), "{}");
        return 0;
    }

    @Test
    void aGrubImageInstallsMakesGrubTheRootThenTheDiskAndWritesTheManifest() throws Exception {
        grubImage();

        VariantBuildResult result = build(request());

        assertThat(containers.started()).extracting(ContainerStep::name).containsExactly("com.example-greet-os-root",
                "com.example-greet-os-grub", "com.example-greet-os-rootfs", "com.example-greet-os-disk");
        ContainerStep install = containers.started().get(0);
        assertThat(install.inputs()).containsKeys("/work/local/greet-1.0-1.x86_64.rpm", "/work/in/packages.txt");
        assertThat(install.environment()).containsEntry("SCRIPTLETS", "skip").containsEntry("KIT_REPOS", "");
        assertThat(containers.started().get(1).environment()).containsEntry("BIOS_PREFIX", "(hd0,gpt3)/grub");
        ContainerStep rootfs = containers.started().get(2);
        assertThat(rootfs.inputs()).containsKeys("/work/in/root.tar", "/work/in/os-release",
                "/work/in/application-inventory.json", "/work/in/settings-defaults.toml");
        assertThat(rootfs.environment()).containsEntry("ROOT_FS", "ext4").containsEntry("ROOT_MIB", "920");
        ContainerStep disk = containers.started().get(3);
        assertThat(disk.inputs()).containsKeys("/work/in/root.img.lz4", "/work/in/grub.cfg", "/work/in/BOOTX64.EFI",
                "/work/in/mbr-code.bin", "/work/in/core.img");
        assertThat(disk.environment()).containsEntry("FORMATS", "raw").containsEntry("BOOT_PARTITION", "true")
                .containsEntry("DATA_ON_OS_DISK", "false").containsEntry("SDE", "1700000000")
                .containsEntry("BIOS_START", "1");
        assertThat(disk.inputs()).containsKeys("/work/in/os-gpt-primary.bin", "/work/in/os-gpt-backup.bin",
                "/work/in/data-gpt-primary.bin", "/work/in/data-gpt-backup.bin");
        assertThat(disk.inputs().get("/work/in/os-gpt-primary.bin")).hasSize(34 * 512);
        assertThat(disk.inputs().get("/work/in/data-gpt-backup.bin")).hasSize(33 * 512);

        assertThat(result.upToDate()).isFalse();
        assertThat(result.outputs()).extracting(o -> o.classifier() + "." + o.type())
                .containsExactly("application-inventory.json", "data.img.zst", "os.img.zst", "sbom.cdx.json",
                        "sbom.spdx.json");
        // The SBOMs go into the image and are attached; the local package is supplied by its module.
        assertThat(rootfs.inputs()).containsKeys("/work/in/sbom.spdx.json", "/work/in/sbom.cdx.json");
        String spdx = Files.readString(dir.resolve("out/greet-os-x86_64-1.0.0-sbom.spdx.json"));
        assertThat(spdx).contains("local module com.example:greet").contains(Digests.sha256(dir.resolve("greet-1.0-1.x86_64.rpm")))
                .contains("greet-1.0-1.x86_64.rpm");
        String manifest = Files.readString(result.buildManifest());
        assertThat(manifest).contains("\"root-hash\": \"" + ROOT_HASH + "\"")
                .contains("console=ttyS0 root=/dev/dm-0").contains("0 8000 verity 1 PARTUUID=")
                .contains("\"bootloader\": \"grub\"").contains("\"kernel\": true")
                .contains("\"source\": \"local module\"");
        assertThat(log.lines()).anyMatch(l -> l.contains("the scriptlets of 1 package(s) were not run: greet (%post)"));
        assertThat(dir.resolve("work/variant-staging")).doesNotExist();
        BootableImage bootable = BootableImage.read(dir.resolve("work"), dir.resolve("out")).orElseThrow();
        assertThat(bootable.osImage()).isEqualTo(dir.resolve("out/greet-os-x86_64-1.0.0-os.img.zst"));
        assertThat(bootable.firmware()).containsExactly("bios", "uefi");
    }

    @Test
    void grubsBiosCodeIsPatchedForTheBiosBootPartition() throws Exception {
        List<ByteBuffer> received = new java.util.ArrayList<>();
        containers.then(VariantBuildTest::installsGreet).then(VariantBuildTest::makesGrub)
                .then(VariantBuildTest::makesTheRoot).then((step, out, log) -> {
                    received.add(ByteBuffer.wrap(Files.readAllBytes(step.inputs().get("/work/in/mbr-code.bin")))
                            .order(ByteOrder.LITTLE_ENDIAN));
                    received.add(ByteBuffer.wrap(Files.readAllBytes(step.inputs().get("/work/in/core.img")))
                            .order(ByteOrder.LITTLE_ENDIAN));
                    return assemblesTheDisk(step, out, log);
                });
        build(request());

        ByteBuffer mbr = received.get(0);
        ByteBuffer core = received.get(1);
        assertThat(mbr.capacity()).as("the boot code, not the partition table").isEqualTo(440);
        assertThat(mbr.getLong(0x5c)).as("core image at BIOS-BOOT, 1 MiB in").isEqualTo(2048);
        assertThat(mbr.get(0x64)).isEqualTo((byte) 0xff);
        assertThat(core.getLong(500)).as("the rest of the core image follows its first sector").isEqualTo(2049);
        assertThat(core.getShort(508)).isEqualTo((short) 3);
    }

    @Test
    void aUkiImageWithBanksBootsSystemdBootWhichFindsBankAsUkiAndBothUkisAreOutputs() throws Exception {
        containers.then(VariantBuildTest::installsGreet).then(VariantBuildTest::makesTheRoot)
                .then((step, out, log) -> {
                    assertThat(step.environment()).containsEntry("SYSTEMD_BOOT", "true");
                    assertThat(step.inputs()).doesNotContainKey("/work/in/cmdline/uki");
                    assertThat(step.inputs().get("/work/in/cmdline/uki-a")).content()
                            .startsWith("console=ttyS0 twoliter.bank=A root=/dev/dm-0")
                            .contains(PartitionPlan.UKI_ANCHOR_A_GUID.toLowerCase() + "/PARTNROFF=1");
                    assertThat(step.inputs().get("/work/in/cmdline/uki-b")).content()
                            .startsWith("console=ttyS0 twoliter.bank=B root=/dev/dm-0")
                            .contains(PartitionPlan.UKI_ANCHOR_B_GUID.toLowerCase() + "/PARTNROFF=1");
                    return makesTheBanksUkis(step, out, log);
                }).then((step, out, log) -> {
                    assertThat(step.inputs().get("/work/in/BOOTX64.EFI")).content().isEqualTo("systemd-boot");
                    assertThat(step.inputs().get("/work/in/esp/loader/loader.conf")).content()
                            .isEqualTo(UkiBanks.loaderConf());
                    ByteBuffer uki = ByteBuffer.wrap(Files.readAllBytes(
                            step.inputs().get("/work/in/esp/EFI/Linux/twoliter-a.efi"))).order(ByteOrder.LITTLE_ENDIAN);
                    assertThat(uki.getInt(0x88)).as("time stamp set to the build's").isEqualTo(1700000000);
                    assertThat(step.inputs().keySet()).noneMatch(k -> k.contains("twoliter-b"))
                            .doesNotContain("/work/in/grubenv", "/work/in/grub.cfg");
                    assertThat(step.environment()).containsEntry("BOOT_PARTITION", "false");
                    return assemblesTheDisk(step, out, log);
                });

        VariantBuildResult result = build(ukiBanksRequest());

        assertThat(result.outputs()).extracting(VariantBuildResult.Output::classifier).contains("uki-a", "uki-b");
        assertThat(dir.resolve("out/greet-os-x86_64-1.0.0-uki-a.efi")).exists();
        assertThat(Files.readString(result.buildManifest())).contains("EFI-BACKUP")
                .contains(PartitionPlan.UKI_ANCHOR_B_GUID.toLowerCase());
    }

    @Test
    void aUkiImageHasNoGrubAndNoBootPartitionAndCountsFromTheEfiPartition() throws Exception {
        containers.then(VariantBuildTest::installsGreet).then(VariantBuildTest::makesTheRoot)
                .then((step, out, log) -> {
                    assertThat(step.inputs().get("/work/in/cmdline/uki")).content()
                            .startsWith("console=ttyS0 root=/dev/dm-0").contains("PARTNROFF=1");
                    return makesTheUki(step, out, log);
                }).then((step, out, log) -> {
                    assertThat(step.inputs()).containsKey("/work/in/BOOTX64.EFI").doesNotContainKeys(
                            "/work/in/grub.cfg", "/work/in/mbr-code.bin");
                    ByteBuffer uki = ByteBuffer.wrap(Files.readAllBytes(step.inputs().get("/work/in/BOOTX64.EFI")))
                            .order(ByteOrder.LITTLE_ENDIAN);
                    assertThat(uki.getInt(0x88)).as("time stamp set to the build's").isEqualTo(1700000000);
                    assertThat(step.environment()).containsEntry("BOOT_PARTITION", "false");
                    return assemblesTheDisk(step, out, log);
                });

        VariantBuildResult result = build(request(ImageOptions.Scriptlets.SKIP, List.of("console=ttyS0"),
                ImageOptions.Bootloader.UKI));

        assertThat(containers.started()).extracting(ContainerStep::name).containsExactly("com.example-greet-os-root",
                "com.example-greet-os-rootfs", "com.example-greet-os-uki", "com.example-greet-os-disk");
        assertThat(Files.readString(result.buildManifest())).contains("\"bootloader\": \"uki\"")
                .doesNotContain("BOTTLEROCKET-BOOT-A");
    }

    @Test
    void aPackageLoaderWhereTheBootloaderGoesIsRefused() throws Exception {
        containers.then(VariantBuildTest::installsGreet).then(VariantBuildTest::makesGrub)
                .then((step, out, log) -> makesTheRoot(out, true, Map.of("./EFI/BOOT/bootx64.efi", "MZ other")));
        assertThatThrownBy(() -> build(request())).hasMessage("com.example:greet-os: a package installs"
                + " /boot/efi/EFI/BOOT/bootx64.efi, the EFI system partition's default loader, which bootloader grub"
                + " provides. Remove the file from the package, or set <bootloader> to none to boot with the"
                + " package's loader.");
        assertThat(containers.started()).hasSize(3);
    }

    @Test
    void aUkiWithoutAKernelIsRefusedAndAGrubImageWithoutOneWarns() throws Exception {
        containers.then(VariantBuildTest::installsGreet).then((step, out, log) -> makesTheRoot(out, false));
        assertThatThrownBy(() -> build(request(ImageOptions.Scriptlets.SKIP, List.of(), ImageOptions.Bootloader.UKI)))
                .hasMessageContaining("com.example:greet-os: <bootloader> uki needs a kernel, but no installed package"
                        + " has /boot/vmlinuz");

        containers.then(VariantBuildTest::installsGreet).then(VariantBuildTest::makesGrub)
                .then((step, out, log) -> makesTheRoot(out, false)).then(VariantBuildTest::assemblesTheDisk);
        build(request());
        assertThat(log.lines()).anyMatch(l -> l.startsWith("WARN com.example:greet-os: no installed package has"
                + " /boot/vmlinuz"));
        assertThat(BootableImage.read(dir.resolve("work"), dir.resolve("out")).orElseThrow().hasKernel()).isFalse();
    }

    @Test
    void anUnchangedVariantStartsNoContainer() throws Exception {
        grubImage();
        VariantBuildResult first = build(request());

        VariantBuildResult again = build(request());

        assertThat(again.upToDate()).isTrue();
        assertThat(containers.started()).hasSize(4);
        assertThat(again.buildManifest()).isEqualTo(first.buildManifest());
        assertThat(again.outputs()).isEqualTo(first.outputs());
    }

    @Test
    void aChangedKernelParameterRebuildsAndSaysWhy() throws Exception {
        grubImage();
        build(request());
        grubImage();

        build(request(ImageOptions.Scriptlets.SKIP, List.of("console=ttyS1")));

        assertThat(containers.started()).hasSize(8);
        assertThat(log.lines()).anyMatch(l -> l.startsWith("INFO com.example:greet-os changed since its last build: options"));
    }

    @Test
    void scriptletsRunInASecondPassWhoseTreeReplacesTheFirst() throws Exception {
        containers.then(VariantBuildTest::installsGreet).then((step, out, log) -> {
            Files.writeString(out.resolve("root.tar"), "root tree after scriptlets");
            return 0;
        }).then(VariantBuildTest::makesGrub).then((step, out, log) -> {
            assertThat(step.inputs().get("/work/in/root.tar")).hasContent("root tree after scriptlets");
            return makesTheRoot(step, out, log);
        }).then(VariantBuildTest::assemblesTheDisk);

        build(request(ImageOptions.Scriptlets.RUN, List.of()));

        assertThat(containers.started()).extracting(s -> s.environment().get("SCRIPTLETS"))
                .containsExactly("skip", "run", null, null, null);
    }

    @Test
    void aPackageInNoSourceIsNamedWithTheSourcesSearched() throws Exception {
        containers.then((step, out, log) -> {
            log.append("No match for argument: greet\nError: Unable to find a match: greet\n");
            return 1;
        });
        assertThatThrownBy(() -> build(request())).isInstanceOf(TwoliterException.class)
                .hasMessageContaining("com.example:greet-os: cannot install the variant's packages: package greet is"
                        + " in none of the variant's sources (sources, by priority: local modules com.example:greet)")
                .hasMessageContaining("Full log: " + dir.resolve("work/variant-install.log"));
        assertThat(containers.started()).hasSize(1);
    }

    @Test
    void aPackageFromAnUnknownRepositoryIsRefused() throws Exception {
        containers.then((step, out, log) -> {
            installsGreet(step, out, log);
            Files.writeString(out.resolve("packages.toml"), Files.readString(out.resolve("packages.toml"))
                    .replace("repository = \"local\"", "repository = \"elsewhere\""));
            return 0;
        });
        assertThatThrownBy(() -> build(request())).hasMessageContaining("dnf reports greet-1.0-1.x86_64 as installed"
                + " from 'elsewhere', which is none of the variant's sources");
    }

    @Test
    void anImageTooSmallNamesTheSizeSetting() throws Exception {
        containers.then(VariantBuildTest::installsGreet).then(VariantBuildTest::makesGrub).then((step, out, log) -> {
            log.append("twoliter: too small: BOTTLEROCKET-ROOT-A needs 1200 MiB, has 920 MiB\n");
            return StepExit.TOO_SMALL.code();
        });
        assertThatThrownBy(() -> build(request())).hasMessageContaining("com.example:greet-os: the image is too small"
                + " for its content: BOTTLEROCKET-ROOT-A needs 1200 MiB, has 920 MiB. Raise"
                + " <imageLayout><osImageSizeGib> (now 2).");
        // The installed root's tar does not outlive the failed build.
        assertThat(dir.resolve("work/variant-root")).doesNotExist();
        assertThat(dir.resolve("work/variant-staging")).doesNotExist();
    }

    @Test
    void anImageStepWithoutFactsIsAnErrorAndRecordsNothing() throws Exception {
        containers.then(VariantBuildTest::installsGreet).then(VariantBuildTest::makesGrub).then((step, out, log) -> {
            Files.writeString(out.resolve("root.img.lz4"), "root");
            return 0;
        });
        assertThatThrownBy(() -> build(request())).hasMessageContaining("the root filesystem step ended without"
                + " writing image-facts.toml");
        grubImage();

        assertThat(build(request()).upToDate()).isFalse();
    }

    @Test
    void forgedImageFactsAreRefused() throws Exception {
        containers.then(VariantBuildTest::installsGreet).then(VariantBuildTest::makesGrub).then((step, out, log) -> {
            makesTheRoot(step, out, log);
            Files.writeString(out.resolve("image-facts.toml"), "root-hash = \"x\\\" console=evil\"\ndata-blocks = 1\n"
                    + "kernel = true\n");
            return 0;
        });
        assertThatThrownBy(() -> build(request())).hasMessageContaining("reported no valid root hash, block count and"
                + " kernel flag");
    }

    @Test
    void everyScriptReadsExactlyTheEnvironmentItIsGiven() throws Exception {
        containers.then(VariantBuildTest::installsGreet).then((step, out, log) -> {
            Files.writeString(out.resolve("root.tar"), "root tree");
            return 0;
        }).then(VariantBuildTest::makesGrub).then(VariantBuildTest::makesTheRoot)
                .then(VariantBuildTest::assemblesTheDisk);
        build(request(ImageOptions.Scriptlets.RUN, List.of()));
        containers.then(VariantBuildTest::installsGreet).then(VariantBuildTest::makesTheRoot)
                .then(VariantBuildTest::makesTheUki).then(VariantBuildTest::assemblesTheDisk);
        build(request(ImageOptions.Scriptlets.SKIP, List.of(), ImageOptions.Bootloader.UKI));
        assertThat(containers.started()).extracting(ContainerStep::name).containsExactly("com.example-greet-os-root",
                "com.example-greet-os-scriptlets", "com.example-greet-os-grub", "com.example-greet-os-rootfs",
                "com.example-greet-os-disk", "com.example-greet-os-root", "com.example-greet-os-rootfs",
                "com.example-greet-os-uki", "com.example-greet-os-disk");
        containers.started().forEach(StepScriptContract::check);
    }
    /** The disk step of an image with banks: the disks and the update payloads (boot only for GRUB). */
    private static int assemblesTheDiskAndPayloads(ContainerStep step, Path out, StringBuilder log) throws IOException {
        assemblesTheDisk(step, out, log);
        String base = step.environment().get("BASE");
        if (step.environment().get("BOOT_PARTITION").equals("true")) {
            Files.writeString(out.resolve(base + "-boot.ext4.zst"), "boot image");
        }
        Files.writeString(out.resolve(base + "-root.ext4.zst"), "root image");
        Files.writeString(out.resolve(base + "-root-verity.verity.zst"), "hash image");
        return 0;
    }

    /** The root step, keeping the SBOMs it is to put into the image. */
    private static FakeSdkContainers.ScriptedStep keepingTheImagesSboms(Map<String, byte[]> inImage) {
        return (step, out, log) -> {
            for (String name : SbomStep.FILES) {
                inImage.put(name, Files.readAllBytes(step.inputs().get("/work/in/" + name)));
            }
            return makesTheRoot(out, true);
        };
    }

    private static com.fasterxml.jackson.databind.JsonNode json(byte[] bytes) throws IOException {
        return new com.fasterxml.jackson.databind.ObjectMapper().readTree(bytes);
    }

    /**
     * What the published SBOMs say of each update image (image to file, sha256, target, stored-as),
     * after checking that SPDX and CycloneDX say the same.
     */
    private Map<String, List<String>> publishedUpdateImages() throws IOException {
        var cdx = json(Files.readAllBytes(dir.resolve("out/greet-os-x86_64-1.0.0-sbom.cdx.json")));
        var spdx = json(Files.readAllBytes(dir.resolve("out/greet-os-x86_64-1.0.0-sbom.spdx.json")));
        Map<String, List<String>> fromCdx = new java.util.TreeMap<>();
        for (var c : cdx.path("metadata").path("component").path("components")) {
            Map<String, String> p = new java.util.TreeMap<>();
            c.path("properties").forEach(e -> p.put(e.path("name").asText(), e.path("value").asText()));
            fromCdx.put(p.get("twoliter:update-image"), List.of(c.path("name").asText(),
                    c.path("hashes").path(0).path("content").asText(), p.get("twoliter:update-target"),
                    p.get("twoliter:stored-as")));
        }
        Map<String, List<String>> fromSpdx = new java.util.TreeMap<>();
        for (var pkg : spdx.path("packages")) {
            if (pkg.path("primaryPackagePurpose").asText().equals("FILE")) {
                Map<String, String> r = new java.util.TreeMap<>();
                pkg.path("externalRefs").forEach(e -> r.put(e.path("referenceType").asText(),
                        e.path("referenceLocator").asText()));
                fromSpdx.put(r.get("twoliter-update-image"), List.of(pkg.path("packageFileName").asText(),
                        pkg.path("checksums").path(0).path("checksumValue").asText(), r.get("twoliter-update-target"),
                        r.get("twoliter-stored-as")));
            }
        }
        assertThat(fromSpdx).isEqualTo(fromCdx);
        return fromCdx;
    }

    /** The build manifest's update images (image to sha256, target, stored-as). */
    private static Map<String, List<String>> manifestUpdateImages(VariantBuildResult result) throws IOException {
        var manifest = json(Files.readAllBytes(result.buildManifest()));
        Map<String, List<String>> images = new java.util.TreeMap<>();
        manifest.path("update").path("images").fields().forEachRemaining(e -> images.put(e.getKey(), List.of(
                e.getValue().path("sha256").asText(), e.getValue().path("target").asText(),
                e.getValue().path("stored-as").asText())));
        return images;
    }

    /** The published images without their file names, as the build manifest lists them. */
    private static Map<String, List<String>> withoutFiles(Map<String, List<String>> published) {
        Map<String, List<String>> images = new java.util.TreeMap<>();
        published.forEach((image, facts) -> images.put(image, facts.subList(1, facts.size())));
        return images;
    }

    @Test
    void thePublishedSbomsOfAGrubImageListItsUpdateImagesAsTheBuildManifestDoesAndTheImagesDoNot() throws Exception {
        Map<String, byte[]> inImage = new java.util.TreeMap<>();
        containers.then(VariantBuildTest::installsGreet).then(VariantBuildTest::makesGrub)
                .then(keepingTheImagesSboms(inImage)).then(VariantBuildTest::assemblesTheDiskAndPayloads);

        VariantBuildResult result = build(request());

        Map<String, List<String>> published = publishedUpdateImages();
        assertThat(published).containsOnlyKeys("boot", "root", "hash");
        assertThat(withoutFiles(published)).isEqualTo(manifestUpdateImages(result));
        String rootSha = Digests.sha256(dir.resolve("out/greet-os-x86_64-1.0.0-root.ext4.zst"));
        assertThat(published.get("root")).containsExactly("greet-os-x86_64-1.0.0-root.ext4.zst", rootSha,
                "greet-os-x86_64-1.0.0-root.ext4.zst", "targets/" + rootSha + ".greet-os-x86_64-1.0.0-root.ext4.zst");
        assertThat(published.get("hash").get(2)).isEqualTo("greet-os-x86_64-1.0.0-hash.verity.zst");
        // The recorded digests of the SBOMs are those of the files published (rewritten after the images were hashed).
        for (VariantBuildResult.Output out : result.outputs()) {
            assertThat(out.sha256()).as(out.file().toString()).isEqualTo(Digests.sha256(out.file()));
        }
        // The image's own copies list the same packages and no update image.
        var imageCdx = json(inImage.get("sbom.cdx.json"));
        var publishedCdx = json(Files.readAllBytes(dir.resolve("out/greet-os-x86_64-1.0.0-sbom.cdx.json")));
        assertThat(imageCdx.path("metadata").path("component").has("components")).isFalse();
        assertThat(imageCdx.path("components")).isEqualTo(publishedCdx.path("components"));
        assertThat(new String(inImage.get("sbom.spdx.json"), java.nio.charset.StandardCharsets.UTF_8))
                .doesNotContain("\"FILE\"").doesNotContain("twoliter-update-target");
        // Rebuilt unchanged, the same bytes.
        byte[] spdx = Files.readAllBytes(dir.resolve("out/greet-os-x86_64-1.0.0-sbom.spdx.json"));
        containers.then(VariantBuildTest::installsGreet).then(VariantBuildTest::makesGrub)
                .then(keepingTheImagesSboms(new java.util.TreeMap<>())).then(VariantBuildTest::assemblesTheDiskAndPayloads);
        VariantBuildResult again = new ModuleBuildRunner(containers, log).run(new VariantBuild(
                withForce(request())));
        assertThat(again.upToDate()).isFalse();
        assertThat(Files.readAllBytes(dir.resolve("out/greet-os-x86_64-1.0.0-sbom.spdx.json"))).isEqualTo(spdx);
    }

    @Test
    void thePublishedSbomsOfAUkiImageWithBanksListBothUkisAndNoBootImage() throws Exception {
        Map<String, byte[]> inImage = new java.util.TreeMap<>();
        containers.then(VariantBuildTest::installsGreet).then(keepingTheImagesSboms(inImage))
                .then(VariantBuildTest::makesTheBanksUkis).then(VariantBuildTest::assemblesTheDiskAndPayloads);

        VariantBuildResult result = build(ukiBanksRequest());

        Map<String, List<String>> published = publishedUpdateImages();
        assertThat(published).containsOnlyKeys("uki-a", "uki-b", "root", "hash");
        assertThat(withoutFiles(published)).isEqualTo(manifestUpdateImages(result));
        assertThat(published.get("uki-b").get(0)).isEqualTo("greet-os-x86_64-1.0.0-uki-b.efi");
        assertThat(published.get("uki-b").get(1)).isEqualTo(Digests.sha256(dir.resolve("out/greet-os-x86_64-1.0.0-uki-b.efi")));
        assertThat(published.get("uki-a").get(2)).isEqualTo("greet-os-x86_64-1.0.0-uki-a.efi");
        assertThat(json(inImage.get("sbom.cdx.json")).path("metadata").path("component").has("components")).isFalse();
    }

    @Test
    void aVariantWithoutInPlaceUpdatesPublishesTheSbomsOfItsImageByteForByte() throws Exception {
        Map<String, byte[]> inImage = new java.util.TreeMap<>();
        containers.then(VariantBuildTest::installsGreet).then(keepingTheImagesSboms(inImage))
                .then(VariantBuildTest::makesTheUki).then(VariantBuildTest::assemblesTheDiskAndPayloads);

        VariantBuildResult result = build(request(ImageOptions.Scriptlets.SKIP, List.of("console=ttyS0"),
                ImageOptions.Bootloader.UKI));

        assertThat(result.buildManifest()).content().doesNotContain("\"update\"");
        for (String name : SbomStep.FILES) {
            assertThat(dir.resolve("out/greet-os-x86_64-1.0.0-" + name)).hasBinaryContent(inImage.get(name));
        }
    }

    /** The request for aarch64, whose image takes the aarch64 RPM of a module that has both. */
    private VariantBuildRequest forAarch64(VariantBuildRequest r) throws IOException {
        Path arm = Files.writeString(dir.resolve("greet-1.0-1.aarch64.rpm"), "arm rpm bytes");
        Path both = dir.resolve("greet-1.0-both.rpm.tar");
        try (OutputStream out = Files.newOutputStream(both)) {
            Tars.write(Map.of("greet-1.0-1.x86_64.rpm", dir.resolve("greet-1.0-1.x86_64.rpm"),
                    "greet-1.0-1.aarch64.rpm", arm), Instant.EPOCH, out);
        }
        return new VariantBuildRequest(r.module(), r.variantId(), r.version(), r.buildId(), r.includedPackages(),
                Map.of("com.example:greet", both), r.kits(), r.variantSettings(), r.options(), Arch.AARCH64, r.sdkImage(), r.pullSdk(),
                r.sourceDateEpoch(), r.workDir(), r.outputDir(), "greet-os-aarch64-1.0.0", r.timeout(), r.force(),
                r.toolVersion(), r.terms());
    }

    @Test
    void anAarch64GrubImageGetsGrubForUefiOnlyAsBootaa64() throws Exception {
        containers.then(VariantBuildTest::installsArmGreet).then((step, out, log) -> {
            assertThat(step.environment()).containsEntry("ARCH", "aarch64");
            assertThat(step.inputs()).containsKey("/work/in/efi.cfg").doesNotContainKey("/work/in/bios.cfg");
            Files.writeString(out.resolve("grubaa64.efi"), "MZ grub arm64");
            return 0;
        }).then(VariantBuildTest::makesTheRoot).then((step, out, log) -> {
            assertThat(step.inputs().get("/work/in/BOOTAA64.EFI")).content().isEqualTo("MZ grub arm64");
            assertThat(step.inputs()).containsKeys("/work/in/grub.cfg", "/work/in/grubenv")
                    .doesNotContainKeys("/work/in/BOOTX64.EFI", "/work/in/mbr-code.bin", "/work/in/core.img");
            StepScriptContract.check(step);
            return assemblesTheDisk(step, out, log);
        });

        VariantBuildResult result = build(forAarch64(request(ImageOptions.Scriptlets.SKIP, List.of("console=ttyAMA0"))));

        StepScriptContract.check(containers.started().get(1));
        assertThat(log.lines()).anyMatch(l -> l.contains("Making GRUB for UEFI (aarch64) for com.example:greet-os"));
        assertThat(Files.readString(result.buildManifest())).contains("console=ttyAMA0 root=/dev/dm-0");
        BootableImage bootable = BootableImage.read(dir.resolve("work"), dir.resolve("out")).orElseThrow();
        assertThat(bootable.arch()).isEqualTo(Arch.AARCH64);
        assertThat(bootable.firmware()).containsExactly("uefi");
    }

    @Test
    void anAarch64UkiImageWithBanksUsesTheArm64StubAndSystemdBootAsBootaa64() throws Exception {
        containers.then(VariantBuildTest::installsArmGreet).then(VariantBuildTest::makesTheRoot)
                .then((step, out, log) -> {
                    assertThat(step.environment()).containsEntry("EFI_ARCH", "aa64").containsEntry("SYSTEMD_BOOT", "true");
                    StepScriptContract.check(step);
                    makesTheUki(step, out, log);
                    Files.move(out.resolve("uki.efi"), out.resolve("uki-a.efi"));
                    makesTheUki(step, out, log);
                    Files.move(out.resolve("uki.efi"), out.resolve("uki-b.efi"));
                    Files.writeString(out.resolve("systemd-bootaa64.efi"), "systemd-boot arm64");
                    return 0;
                }).then((step, out, log) -> {
                    assertThat(step.inputs().get("/work/in/BOOTAA64.EFI")).content().isEqualTo("systemd-boot arm64");
                    assertThat(step.inputs()).containsKey("/work/in/esp/EFI/Linux/twoliter-a.efi")
                            .doesNotContainKey("/work/in/BOOTX64.EFI");
                    return assemblesTheDisk(step, out, log);
                });

        build(forAarch64(ukiBanksRequest()));

        assertThat(dir.resolve("out/greet-os-aarch64-1.0.0-uki-b.efi")).exists();
    }

    private static VariantBuildRequest withForce(VariantBuildRequest r) {
        return new VariantBuildRequest(r.module(), r.variantId(), r.version(), r.buildId(), r.includedPackages(),
                r.localPackages(), r.kits(), r.variantSettings(), r.options(), r.arch(), r.sdkImage(), r.pullSdk(),
                r.sourceDateEpoch(), r.workDir(), r.outputDir(), r.baseName(), r.timeout(), true, r.toolVersion(),
                r.terms());
    }
}
