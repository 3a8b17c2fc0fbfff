package dev.twoliter.engine.image;

import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.bank.Bank;
import dev.twoliter.engine.bank.BankState;
import dev.twoliter.engine.fingerprint.BuildRecord;
import dev.twoliter.engine.fingerprint.Fingerprint;
import dev.twoliter.engine.io.AtomicFiles;
import dev.twoliter.engine.kit.KitRepository;
import dev.twoliter.engine.module.ModuleBuild;
import dev.twoliter.engine.module.StepContext;
import dev.twoliter.engine.sdk.SdkImage;
import dev.twoliter.engine.settings.SettingsBundle;
import dev.twoliter.engine.settings.SettingsCheck;
import dev.twoliter.engine.settings.SettingsReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Assembles a variant's OS image from its packages. The steps, in order:
 * <ol>
 *   <li>{@link InstallRootStep}: dnf installs the packages into an empty root (local modules before
 *       kits);</li>
 *   <li>{@link ImageSettings} and {@link SettingsCheck}: the settings extensions, models, defaults and
 *       templates the packages ship, checked and rendered;</li>
 *   <li>{@link ImageMetadata}: os-release, the application inventory, the merged default settings
 *       and the rendered configuration files; {@link SbomStep}: the SBOMs of the installed packages, which go into the image too;</li>
 *   <li>{@link GrubStep} (bootloader grub): GRUB for BIOS and UEFI, patched for the disk by
 *       {@link BiosBootCode};</li>
 *   <li>{@link RootFilesystemStep}: the root filesystem and its dm-verity hash tree, measured;</li>
 *   <li>what boots the image, from the measured root: grub.cfg ({@link BootConfig}), or the UKI
 *       ({@link UkiStep});</li>
 *   <li>{@link SecureBootStep}: the EFI executable the firmware starts, signed for Secure Boot if
 *       the variant has a db key;</li>
 *   <li>{@link DiskImageStep}: boot/EFI/private/data filesystems, GPT disks, GRUB's BIOS boot code,
 *       formats;</li>
 *   <li>beside the images, the {@link RootHashSignature} and the SBOMs, which also list the
 *       {@link UpdateImages}; {@link BuildManifestWriter}: the build manifest, the module's artifact.</li>
 * </ol>
 * Before the steps, {@link LocalPackages} unpacks the local modules' RPMs and {@link VariantFingerprint}
 * names every input; {@link VariantOutputs} is the result, built or recorded. Every identifier that would be random comes from {@link DiskIdentities}, seeded by
 * {@link ImageSeed}, so equal inputs give equal images. A new image step goes between these, as a
 * class of its own with its script next to it.
 */
public final class VariantBuild implements ModuleBuild<VariantBuildResult> {
    /** Where, in the build's work directory, the image's settings sources are kept. */
    public static final String SETTINGS_DIR = "settings";
    public static final String SETTINGS_REFERENCE = "settings-reference.md";
    private final VariantBuildRequest request;
    private final String label;
    private final Path staging;
    private LocalPackages local;
    private PartitionPlan plan;
    private String archMacros;
    private String seed;

    public VariantBuild(VariantBuildRequest request) {
        this(request, request.module());
    }

    /** @param label how progress messages name the build (the module, and the arch when a run builds several) */
    public VariantBuild(VariantBuildRequest request, String label) {
        this.request = request;
        this.label = label;
        this.staging = request.workDir().resolve("variant-staging");
    }

    @Override
    public Settings settings() {
        return new Settings(label, request.sdkImage(), request.pullSdk(), request.force());
    }

    @Override
    public BuildRecord record() {
        return new BuildRecord(request.workDir(), "variant", request.outputDir());
    }

    @Override
    public void prepareInputs() throws TwoliterException, IOException {
        VariantInputs.check(request);
        AtomicFiles.deleteTree(staging);
        local = LocalPackages.stage(request, staging.resolve("local"));
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
        seed = ImageSeed.of(request, local.rpms(), sdk.id());
        return VariantFingerprint.of(request, local.rpms(), sdk.id());
    }

    @Override
    public boolean outputsAreImages() {
        return true;
    }

    @Override
    public VariantBuildResult upToDate(BuildRecord record) {
        return VariantOutputs.fromRecord(record);
    }

    @Override
    public VariantBuildResult runSteps(StepContext steps, Fingerprint inputs) throws TwoliterException, IOException {
        DiskIdentities ids = DiskIdentities.of(seed, plan);
        VariantClosureStep.run(steps, request, local.rpms());
        InstallRootStep.Installation installation = InstallRootStep.run(steps, request, archMacros, local.rpms(),
                staging.resolve("install"));
        SettingsCheck.Result settings = checkSettings(steps, installation);
        Path metadata = ImageMetadata.write(request, installation, settings, staging.resolve("generated"));
        SbomStep.Contents sbom = SbomStep.write(request, installation.packages(), local.origins(), metadata);
        GrubStep.Loaders grub = bootloader() == ImageOptions.Bootloader.GRUB
                ? GrubStep.run(steps, request, plan, staging.resolve("grub")) : null;
        RootFilesystemStep.Root root = RootFilesystemStep.run(steps, request, plan, ids, installation.rootTar(),
                metadata, staging.resolve("root"));
        AtomicFiles.deleteTree(installation.rootTar().getParent());
        DefaultEfiLoader.refuseClash(request, root);
        UkiBankFiles banks = bootloader() == ImageOptions.Bootloader.UKI && plan.ukiBanks()
                ? ukiBankFiles(steps, root, ids, metadata) : null;
        SecureBootStep.Loader loader = banks != null ? banks.loader() : switch (bootloader()) {
            case GRUB -> SecureBootStep.run(steps, request, grub.efiLoader(), "grub", staging.resolve("signed"));
            case UKI -> SecureBootStep.run(steps, request, UkiStep.run(steps, request, plan, root,
                    kernelCommandLine(root, ids), metadata.resolve("os-release"), staging.resolve("uki")), "uki",
                    staging.resolve("signed"));
            case NONE -> new SecureBootStep.Loader(null, Optional.empty());
        };
        DiskImageStep.BootFiles boot = banks != null ? banks.boot() : switch (bootloader()) {
            case GRUB -> new DiskImageStep.BootFiles(grubConfig(root, ids), loader.file(), grub.mbrCode(),
                    grub.coreImage(), bankState());
            case UKI -> new DiskImageStep.BootFiles(null, loader.file(), null, null, null);
            case NONE -> new DiskImageStep.BootFiles(grubConfig(root, ids), null, null, null, null);
        };
        warnIfNoKernel(steps, root);
        DiskImageStep.run(steps, request, plan, ids, root, boot, metadata);
        if (banks != null) {
            banks.writeUpdatePayloads(request);
        }
        RootHashSignature.write(request, root);
        // The published SBOMs list the update images, so they are written once the images are hashed.
        List<VariantBuildResult.Output> images = VariantOutputs.collect(request);
        List<Path> sboms = SbomStep.publish(request, sbom, UpdateImages.of(request, images));
        List<VariantBuildResult.Output> outputs = VariantOutputs.collect(request,
                images.stream().filter(o -> !sboms.contains(o.file())).toList());
        Path manifest = BuildManifestWriter.write(request, plan, ids, root, installation.packages(), settings,
                outputs, banks != null ? banks.signed(request) : loader.signed());
        BootableImage.of(request.options(), root.hasKernel(), outputs, request.arch()).write(request.workDir());
        return new VariantBuildResult(manifest, outputs, false);
    }

    @Override
    public Fingerprint outputs(VariantBuildResult result, BuildRecord record) throws IOException {
        return VariantOutputs.record(result, record);
    }

    @Override
    public void cleanUp() throws IOException {
        AtomicFiles.deleteTree(staging);
        // The installed root as a tar (hundreds of MB), also when a later step failed: the logs say
        // what went wrong, and every build installs the root afresh.
        AtomicFiles.deleteTree(request.workDir().resolve("variant-root"));
        AtomicFiles.deleteTree(request.workDir().resolve("variant-root-scriptlets"));
    }

    /**
     * The image's settings: gathered from the installed root, checked against the extensions' models
     * and rendered; kept in {@link #SETTINGS_DIR} with the settings reference, for twoliter:settings.
     */
    private SettingsCheck.Result checkSettings(StepContext steps, InstallRootStep.Installation installation)
            throws TwoliterException, IOException {
        SettingsBundle bundle = ImageSettings.gather(request, installation);
        SettingsCheck.Result settings = SettingsCheck.defaults(bundle, request.module());
        Path kept = request.workDir().resolve(SETTINGS_DIR);
        bundle.write(kept);
        AtomicFiles.writeString(kept.resolve(SETTINGS_REFERENCE), SettingsReference.markdown(request.module(),
                settings));
        if (settings.checked()) {
            steps.log().info(request.module() + ": settings of " + settings.extensions().size() + " extension(s) ("
                    + String.join(", ", settings.extensions().keySet()) + ") fit their models; "
                    + settings.files().size() + " configuration file(s) rendered");
        } else if (!settings.defaults().values().isEmpty()) {
            steps.log().info(request.module() + ": " + settings.defaults().values().size() + " default setting(s)"
                    + " are not checked: no package declares a settings extension (docs/settings.md)");
        }
        return settings;
    }

    private ImageOptions.Bootloader bootloader() {
        return request.options().bootloader();
    }

    /** grub.cfg for BOOT-A, now that the root is measured. */
    private Path grubConfig(RootFilesystemStep.Root root, DiskIdentities ids) throws IOException {
        ImageOptions o = request.options();
        return Files.writeString(Files.createDirectories(staging.resolve("boot")).resolve("grub.cfg"),
                BootConfig.grubConfig(GrubQuoting.quote(o.prettyName() + " " + request.version()),
                        o.kernelParameters(), root.dataBlocks(), root.rootHash(), ids.salt(), grubChoosesBank()));
    }

    /** Whether the plugin's GRUB chooses between two banks (and the image carries the A/B state). */
    private boolean grubChoosesBank() {
        return bootloader() == ImageOptions.Bootloader.GRUB && BootConfig.hasBanks(plan);
    }

    /** The A/B state for the EFI system partition (bank A confirmed), or null for an image GRUB does not switch. */
    private Path bankState() throws IOException {
        if (!grubChoosesBank()) {
            return null;
        }
        return Files.write(Files.createDirectories(staging.resolve("boot")).resolve("grubenv"),
                BankState.initialBlock().render());
    }

    /**
     * A UKI image with A/B banks: systemd-boot as the default loader, loader.conf, and a UKI for each
     * bank (they differ only in their command lines). Only bank A's goes onto the EFI system
     * partition, since bank B is empty until an update writes it; both are outputs, the payloads an
     * update installs.
     */
    private UkiBankFiles ukiBankFiles(StepContext steps, RootFilesystemStep.Root root, DiskIdentities ids,
            Path metadata) throws TwoliterException, IOException {
        ImageOptions o = request.options();
        java.util.Map<String, String> commandLines = new java.util.TreeMap<>();
        for (Bank bank : Bank.values()) {
            commandLines.put(UkiBankFiles.name(bank), UkiBanks.commandLine(o.kernelParameters(), bank,
                    root.dataBlocks(), root.rootHash(), ids.salt()));
        }
        UkiStep.Made made = UkiStep.run(steps, request, plan, root, commandLines, metadata.resolve("os-release"),
                staging.resolve("uki"), true);
        SecureBootStep.Loader loader = SecureBootStep.run(steps, request, made.systemdBoot(), "systemd-boot",
                staging.resolve("signed"));
        java.util.Map<Bank, Path> ukis = new java.util.EnumMap<>(Bank.class);
        for (Bank bank : Bank.values()) {
            ukis.put(bank, SecureBootStep.signStarted(steps, request, made.ukis().get(UkiBankFiles.name(bank)),
                    "UKI of bank " + bank, staging.resolve("signed-" + UkiBankFiles.name(bank))));
        }
        Path conf = Files.writeString(Files.createDirectories(staging.resolve("loader")).resolve("loader.conf"),
                UkiBanks.loaderConf());
        return new UkiBankFiles(loader, conf, ukis);
    }

    private String kernelCommandLine(RootFilesystemStep.Root root, DiskIdentities ids) {
        return BootConfig.kernelCommandLine(request.options().kernelParameters(), root.dataBlocks(), root.rootHash(),
                ids.salt(), ids.partition(BootConfig.anchorLabel(plan)));
    }

    private void warnIfNoKernel(StepContext steps, RootFilesystemStep.Root root) {
        if (!root.hasKernel()) {
            steps.log().warn(request.module() + ": no installed package has /boot/vmlinuz, so the image has no kernel"
                    + " and will not boot. Add a kernel package (for example from the example kernel kit).");
        }
    }
}
