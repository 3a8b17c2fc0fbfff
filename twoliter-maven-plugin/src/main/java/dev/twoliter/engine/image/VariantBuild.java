package dev.twoliter.engine.image;

import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.Terms;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.artifact.RpmArchive;
import dev.twoliter.engine.module.ModuleBuild;
import dev.twoliter.engine.module.StepContext;
import dev.twoliter.engine.fingerprint.BuildRecord;
import dev.twoliter.engine.fingerprint.Fingerprint;
import dev.twoliter.engine.io.AtomicFiles;
import dev.twoliter.engine.io.Digests;
import dev.twoliter.engine.io.Tars;
import dev.twoliter.engine.kit.KitRepository;
import dev.twoliter.engine.sdk.SdkImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Assembles a variant's OS image from its packages. The steps, in order:
 * <ol>
 *   <li>{@link InstallRootStep}: dnf installs the packages into an empty root (local modules before
 *       kits);</li>
 *   <li>{@link ImageMetadata}: os-release, the application inventory and the merged default
 *       settings; {@link SbomStep}: the SBOMs of the installed packages, which go into the image too;</li>
 *   <li>{@link GrubStep} (bootloader grub): GRUB for BIOS and UEFI, patched for the disk by
 *       {@link BiosBootCode};</li>
 *   <li>{@link RootFilesystemStep}: the root filesystem and its dm-verity hash tree, measured;</li>
 *   <li>what boots the image, from the measured root: grub.cfg ({@link BootConfig}), or the UKI
 *       ({@link UkiStep});</li>
 *   <li>{@link SecureBootStep}: the EFI executable the firmware starts, signed for Secure Boot if
 *       the variant has a db key;</li>
 *   <li>{@link DiskImageStep}: boot/EFI/private/data filesystems, GPT disks, GRUB's BIOS boot code,
 *       formats;</li>
 *   <li>{@link BuildManifestWriter}: the build manifest, the module's artifact.</li>
 * </ol>
 * Every identifier that would be random comes from {@link DiskIdentities}, seeded by
 * {@link ImageSeed}, so equal inputs give equal images. A new image step goes between these, as a
 * class of its own with its script next to it.
 */
public final class VariantBuild implements ModuleBuild<VariantBuildResult> {
    /** The loader UEFI firmware starts from a disk with no boot entry. */
    static final String DEFAULT_EFI_LOADER = "EFI/BOOT/BOOTX64.EFI";
    private final VariantBuildRequest request;
    private final Path staging;
    private Map<String, Path> localRpms;
    /** Each local RPM (by file name) with its module and sources, for the SBOM. */
    private Map<String, SbomStep.LocalRpm> localOrigins;
    private PartitionPlan plan;
    private String archMacros;
    private String seed;

    public VariantBuild(VariantBuildRequest request) {
        this.request = request;
        this.staging = request.workDir().resolve("variant-staging");
    }

    @Override
    public Settings settings() {
        return new Settings(request.module(), request.sdkImage(), request.pullSdk(), request.force());
    }

    @Override
    public BuildRecord record() {
        return new BuildRecord(request.workDir(), "variant", request.outputDir());
    }

    @Override
    public void prepareInputs() throws TwoliterException, IOException {
        VariantInputs.check(request);
        AtomicFiles.deleteTree(staging);
        localRpms = stageLocalPackages(staging.resolve("local"));
        ImageOptions o = request.options();
        plan = PartitionPlan.of(o.osImageSizeGib(), o.dataImageSizeGib(), o.partitionPlan(), o.inPlaceUpdates(),
                o.bootloader() != ImageOptions.Bootloader.UKI);
    }

    @Override
    public void checkSdk(SdkImage sdk, BuildLog log) throws TwoliterException {
        archMacros = sdk.macrosFor(request.arch().rpmName());
        KitRepository.warnOnOtherSdk(KitRepository.sdks(request.kits()), sdk, request.module(), log);
    }

    /** Each input by name, so that a rebuild can say what changed. */
    @Override
    public Fingerprint fingerprint(SdkImage sdk) throws IOException {
        seed = ImageSeed.of(request, localRpms, sdk.id());
        Fingerprint f = new Fingerprint();
        f.put("plugin", request.toolVersion());
        f.put("scripts", Digests.sha256(InstallRootStep.SCRIPT + GrubStep.SCRIPT + RootFilesystemStep.SCRIPT
                + UkiStep.SCRIPT + DiskImageStep.SCRIPT));
        f.put("variant", request.module() + ":" + request.version() + ":" + request.buildId());
        f.put("outputs", "images, build manifest, SBOMs");
        f.put("sdk", sdk.id());
        f.put("arch", request.arch().rpmName());
        f.put("sourceDateEpoch", Long.toString(request.epoch().getEpochSecond()));
        f.put("options", request.options().toString());
        f.put("includedPackages", String.join(",", request.includedPackages()));
        for (Map.Entry<String, Path> rpm : localRpms.entrySet()) {
            f.putFile("local:" + rpm.getKey(), rpm.getValue());
        }
        for (int i = 0; i < request.kits().size(); i++) {
            KitRepository kit = request.kits().get(i);
            f.put("kit:" + i + ":" + kit.coordinates(), kit.payloadSha256() + " " + BuildManifestWriter.signer(kit));
        }
        for (Path settings : request.variantSettings()) {
            f.putFile("settings:" + settings.getFileName(), settings);
        }
        if (request.rootHashSigner().isPresent()) {
            f.put("rootHashSigner", request.rootHashSigner().get().certificateSha256());
        }
        if (request.secureBootSigner().isPresent()) {
            f.put("secureBootSigner", request.secureBootSigner().get().certificateSha256());
        }
        return f;
    }

    @Override
    public boolean outputsAreImages() {
        return true;
    }

    @Override
    public VariantBuildResult upToDate(BuildRecord record) {
        List<VariantBuildResult.Output> outputs = new ArrayList<>();
        Path manifest = null;
        for (String key : record.outputs().entries().keySet()) {
            String[] parts = key.split(":");
            Path file = record.output(key);
            if (parts[0].equals("manifest")) {
                manifest = file;
            } else {
                outputs.add(new VariantBuildResult.Output(parts[1], parts[2], file));
            }
        }
        outputs.sort(Comparator.comparing(o -> o.file().getFileName().toString()));
        return new VariantBuildResult(manifest, List.copyOf(outputs), true);
    }

    @Override
    public VariantBuildResult runSteps(StepContext steps, Fingerprint inputs) throws TwoliterException, IOException {
        DiskIdentities ids = DiskIdentities.of(seed, plan);
        InstallRootStep.Installation installation = InstallRootStep.run(steps, request, archMacros, localRpms,
                staging.resolve("install"));
        Path metadata = ImageMetadata.write(request, installation, staging.resolve("generated"));
        SbomStep.write(request, installation.packages(), localOrigins, metadata);
        GrubStep.Loaders grub = bootloader() == ImageOptions.Bootloader.GRUB
                ? GrubStep.run(steps, request, plan, staging.resolve("grub")) : null;
        RootFilesystemStep.Root root = RootFilesystemStep.run(steps, request, plan, ids, installation.rootTar(),
                metadata, staging.resolve("root"));
        AtomicFiles.deleteTree(installation.rootTar().getParent());
        refuseLoaderClash(root);
        SecureBootStep.Loader loader = switch (bootloader()) {
            case GRUB -> SecureBootStep.run(steps, request, grub.efiLoader(), "grub", staging.resolve("signed"));
            case UKI -> SecureBootStep.run(steps, request, UkiStep.run(steps, request, plan, root,
                    kernelCommandLine(root, ids), metadata.resolve("os-release"), staging.resolve("uki")), "uki",
                    staging.resolve("signed"));
            case NONE -> new SecureBootStep.Loader(null, Optional.empty());
        };
        DiskImageStep.BootFiles boot = switch (bootloader()) {
            case GRUB -> new DiskImageStep.BootFiles(grubConfig(root, ids), loader.file(), grub.mbrCode(),
                    grub.coreImage());
            case UKI -> new DiskImageStep.BootFiles(null, loader.file(), null, null);
            case NONE -> new DiskImageStep.BootFiles(grubConfig(root, ids), null, null, null);
        };
        warnIfNoKernel(steps, root);
        DiskImageStep.run(steps, request, plan, ids, root, boot, metadata);
        signRootHash(root);
        for (String sbom : SbomStep.FILES) {
            AtomicFiles.write(request.outputDir().resolve(request.baseName() + "-" + sbom),
                    Files.readAllBytes(metadata.resolve(sbom)));
        }
        List<VariantBuildResult.Output> outputs = collectOutputs();
        Path manifest = BuildManifestWriter.write(request, plan, ids, root, installation.packages(), outputs,
                loader.signed());
        BootableImage.of(request.options(), root.hasKernel(), outputs).write(request.workDir());
        return new VariantBuildResult(manifest, outputs, false);
    }

    @Override
    public Fingerprint outputs(VariantBuildResult result, BuildRecord record) throws IOException {
        Fingerprint recorded = new Fingerprint();
        recorded.putFile(record.key("manifest", result.buildManifest()), result.buildManifest());
        for (VariantBuildResult.Output out : result.outputs()) {
            recorded.putFile(record.key("output:" + out.classifier() + ":" + out.type(), out.file()), out.file());
        }
        return recorded;
    }

    @Override
    public void cleanUp() throws IOException {
        AtomicFiles.deleteTree(staging);
    }

    private ImageOptions.Bootloader bootloader() {
        return request.options().bootloader();
    }

    /** The detached signature of the root hash, beside the images (after the disk step, which empties their directory). */
    private void signRootHash(RootFilesystemStep.Root root) throws TwoliterException, IOException {
        if (request.rootHashSigner().isPresent()) {
            AtomicFiles.write(request.outputDir().resolve(request.baseName() + "-" + ROOT_HASH_SIGNATURE + ".p7s"),
                    request.rootHashSigner().get().sign(root.rootHash()));
        }
    }

    /** The classifier of the root hash signature among the outputs. */
    static final String ROOT_HASH_SIGNATURE = "root-hash";

    /** grub.cfg for BOOT-A, now that the root is measured. */
    private Path grubConfig(RootFilesystemStep.Root root, DiskIdentities ids) throws IOException {
        ImageOptions o = request.options();
        return Files.writeString(Files.createDirectories(staging.resolve("boot")).resolve("grub.cfg"),
                BootConfig.grubConfig(GrubQuoting.quote(o.prettyName() + " " + request.version()),
                        o.kernelParameters(), root.dataBlocks(), root.rootHash(), ids.salt()));
    }

    private String kernelCommandLine(RootFilesystemStep.Root root, DiskIdentities ids) {
        return BootConfig.kernelCommandLine(request.options().kernelParameters(), root.dataBlocks(), root.rootHash(),
                ids.salt(), ids.partition(BootConfig.anchorLabel(plan)));
    }

    /**
     * The firmware starts EFI/BOOT/BOOTX64.EFI; with a bootloader of the plugin's, a package's file by
     * that name (FAT ignores case) would be a second claim on it.
     */
    private void refuseLoaderClash(RootFilesystemStep.Root root) throws TwoliterException, IOException {
        if (bootloader() == ImageOptions.Bootloader.NONE) {
            return;
        }
        try (TarArchiveInputStream tar = Tars.reader(Files.newInputStream(root.efiFiles()))) {
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                String name = entry.getName().replaceFirst("^\\./", "");
                if (name.equalsIgnoreCase(DEFAULT_EFI_LOADER)) {
                    throw new TwoliterException(request.module() + ": a package installs /boot/efi/" + name + ", the"
                            + " EFI system partition's default loader, which bootloader " + bootloader() + " provides."
                            + " Remove the file from the package, or set " + request.terms().setting(
                                    Terms.Setting.BOOTLOADER) + " to none to boot with the package's loader.");
                }
            }
        }
    }

    private void warnIfNoKernel(StepContext steps, RootFilesystemStep.Root root) {
        if (!root.hasKernel()) {
            steps.log().warn(request.module() + ": no installed package has /boot/vmlinuz, so the image has no kernel"
                    + " and will not boot. Add a kernel package (for example from the example kernel kit).");
        }
    }

    private Map<String, Path> stageLocalPackages(Path dir) throws TwoliterException {
        Map<String, Path> rpms = new TreeMap<>();
        localOrigins = new TreeMap<>();
        for (Map.Entry<String, Path> pkg : new TreeMap<>(request.localPackages()).entrySet()) {
            RpmArchive.Contents contents = RpmArchive.unpackWithSources(pkg.getValue(),
                    dir.resolve(pkg.getKey().replace(':', '_')), request.module());
            for (Path rpm : contents.rpms()) {
                rpms.put(rpm.getFileName().toString(), rpm);
                localOrigins.put(rpm.getFileName().toString(), new SbomStep.LocalRpm(pkg.getKey(), rpm,
                        contents.sources()));
            }
        }
        return rpms;
    }

    /** The image files, each with the classifier and type it is published under. */
    private List<VariantBuildResult.Output> collectOutputs() throws IOException {
        List<VariantBuildResult.Output> outputs = new ArrayList<>();
        String base = request.baseName() + "-";
        try (Stream<Path> files = Files.list(request.outputDir())) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                if (!name.startsWith(base)) {
                    continue;
                }
                String rest = name.substring(base.length());
                int dot = rest.indexOf('.');
                outputs.add(new VariantBuildResult.Output(rest.substring(0, dot), rest.substring(dot + 1), file));
            }
        }
        return outputs;
    }
}
