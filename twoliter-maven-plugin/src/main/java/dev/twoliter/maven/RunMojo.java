package dev.twoliter.maven;

import dev.twoliter.engine.SettingRanges;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.image.BootableImage;
import dev.twoliter.engine.image.VariantBuild;
import dev.twoliter.engine.image.VariantPlace;
import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.settings.SettingsBundle;
import dev.twoliter.engine.settings.SettingsCheck;
import dev.twoliter.engine.settings.UserDataDisk;
import dev.twoliter.engine.update.WavePolicy;
import dev.twoliter.engine.vm.UpdateRun;
import dev.twoliter.engine.vm.VmRun;
import dev.twoliter.engine.vm.VmRunRequest;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.time.Duration;
import java.util.Optional;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.eclipse.aether.spi.connector.transport.TransporterProvider;

/**
 * Boots a built {@code variant} in a virtual machine: QEMU in the SDK container (nothing to install
 * here), SeaBIOS for GRUB images and OVMF for UKI images (aarch64 images: QEMU's virt machine with
 * AAVMF), KVM when this machine offers it for the image's arch and software emulation otherwise, on
 * a scratch copy of the image, with the serial console in the
 * build log. With {@code twoliter.run.expect} the run succeeds as soon as the console shows that
 * text, and fails otherwise; without it, the machine must power off by itself without a panic or a
 * dm-verity error. With {@code twoliter.run.secureBoot} the UEFI firmware enforces Secure Boot.
 * Bind it to {@code integration-test} to smoke-test every build; modules that are not variants are
 * skipped.
 */
@Mojo(name = "run", threadSafe = true)
public class RunMojo extends AbstractTwoliterMojo {
    /** Console text that makes the run succeed (and ends it), for example a login prompt. */
    @Parameter(property = "twoliter.run.expect")
    private String expect;

    /** The longest the machine may run, in seconds. */
    @Parameter(property = "twoliter.run.timeoutSeconds", defaultValue = "300")
    private int timeoutSeconds;

    /**
     * Firmware: auto (what the bootloader needs: BIOS for grub, UEFI for uki; UEFI for every aarch64
     * image), bios or uefi.
     */
    @Parameter(property = "twoliter.run.firmware", defaultValue = "auto")
    private String firmware;

    /** Accelerator: auto (KVM when usable here, else software emulation), kvm or tcg. */
    @Parameter(property = "twoliter.run.accel", defaultValue = "auto")
    private String accel;

    /** Memory of the machine, in MiB. */
    @Parameter(property = "twoliter.run.memoryMib", defaultValue = "512")
    private int memoryMib;

    /** Boot this copy of the OS disk instead of the built one (same format and compression). */
    @Parameter(property = "twoliter.run.image")
    private File image;

    /**
     * Enforce UEFI Secure Boot: OVMF's Secure Boot firmware on QEMU's q35 machine with SMM (aarch64:
     * AAVMF with a variable store whose keys are enrolled). The
     * firmware starts only an EFI loader signed by a certificate in its db (see
     * twoliter.run.efiVariables).
     */
    @Parameter(property = "twoliter.run.secureBoot", defaultValue = "false")
    private boolean secureBoot;

    /**
     * With secureBoot: the firmware's variable store (an OVMF_VARS_4M.fd copy with your PK, KEK and
     * db enrolled; for aarch64 an AAVMF_VARS.fd copy, 64 MiB). Default: the SDK's test store, which
     * trusts OVMF's (AAVMF's) "snakeoil" test certificate.
     */
    @Parameter(property = "twoliter.run.efiVariables")
    private File efiVariables;

    /**
     * Update mode: the update repository (a URL, or a directory) to update the kept disk from before
     * it boots. The disk lives in target/twoliter/run-disk across runs; see docs/updates.md.
     */
    @Parameter(property = "twoliter.run.update")
    private String runUpdateRepository;

    /**
     * Update mode: the root metadata the machine trusts, relative to the project root; default: the
     * publisher's {@code updateTrustedRoot}.
     */
    @Parameter(property = "twoliter.run.trustedRoot")
    private String trustedRoot;

    /** The root the update repository is published from (publish-update's parameter, read here as the default). */
    @Parameter(property = "twoliter.update.trustedRoot")
    private String updateTrustedRoot;

    /** Update mode: the settings.xml server with the repository's credentials, if it needs any. */
    @Parameter(property = "twoliter.run.repositoryId", defaultValue = "twoliter-updates")
    private String runRepositoryId;

    /** Update mode: the machine's wave seed, 0 to 2047 (0: in the first wave). */
    @Parameter(property = "twoliter.run.seed", defaultValue = "0")
    private int seed;

    /** Boot the kept disk (update mode's), without checking for updates. */
    @Parameter(property = "twoliter.run.keptDisk", defaultValue = "false")
    private boolean keptDisk;

    /**
     * Start the kept disk again from the built image, forgetting the update metadata it accepted; in
     * update mode only once the repository's check passed (a refused repository keeps the old disk).
     */
    @Parameter(property = "twoliter.run.resetDisk", defaultValue = "false")
    private boolean resetDisk;

    /**
     * User data for the machine: a TOML file with a [settings] table. It is checked against the
     * image's settings models first, then handed to the machine with the configuration files
     * rendered from it (docs/settings.md, "The OS contract").
     */
    @Parameter(property = "twoliter.run.userData")
    private File userData;

    @Component
    TransporterProvider transporters;

    @Override
    boolean applies(MavenProjectFacts facts) {
        if (!"variant".equals(project.getPackaging())) {
            getLog().info(facts.module() + " is not a variant; nothing to run");
            return false;
        }
        return true;
    }

    @Override
    void build(Context context) throws TwoliterException, IOException {
        MavenProjectFacts facts = context.facts();
        Duration timeout = SettingRanges.seconds(timeoutSeconds, 5, 24 * 3600, "twoliter.run.timeoutSeconds");
        if (memoryMib < 128 || memoryMib > 65536) {
            throw new TwoliterException(facts.module() + ": twoliter.run.memoryMib is " + memoryMib
                    + "; use 128 to 65536.");
        }
        // One machine per run: the arch asked for with twoliter.arch, else the primary one.
        VariantPlace place = VariantMojo.place(context, context.arch());
        String what = context.arches().severalDeclared() ? "the variant's " + context.arch() + " image" : "the variant";
        BootableImage bootable = BootableImage.read(place.workDir(), place.outputDir())
                .orElseThrow(() -> new TwoliterException(facts.module() + ": " + what + " has not been built; run `mvn"
                        + " package twoliter:run`" + (context.arches().severalDeclared() ? " (with -Dtwoliter.arch="
                        + context.arch() + " to build that arch alone)" : "") + "."));
        if (context.arches().several()) {
            context.log().info(facts.module() + ": booting the " + context.arch() + " image (of " + context.arches()
                    + "); ask for another with -Dtwoliter.arch=<arch>");
        }
        VmRunRequest run = new VmRunRequest(facts.module(), bootable, Optional.ofNullable(image).map(File::toPath),
                Optional.ofNullable(firmware), Optional.ofNullable(expect).filter(e -> !e.isEmpty()), timeout,
                memoryMib, accel, sdkImage, pullSdk, place.workDir(), MavenTerms.INSTANCE, secureBoot,
                Optional.ofNullable(efiVariables).map(File::toPath));
        if (userData != null) {
            run = run.withUserData(userDataDisk(facts, place, context.arches().several() ? " (" + context.arch() + ")"
                    : "", context));
        }
        VmRun vm = new VmRun(context.containers(), context.log());
        boolean updateMode = runUpdateRepository != null && !runUpdateRepository.isBlank();
        if (!updateMode && !keptDisk && !resetDisk) {
            vm.run(run);
            return;
        }
        if (image != null) {
            throw new TwoliterException(facts.module() + ": twoliter.run.image and the update mode's kept disk"
                    + " exclude each other; give one.");
        }
        new UpdateRun(vm).run(new UpdateRun.Request(run, project.getArtifactId().toLowerCase(Locale.ROOT),
                context.arch().rpmName(), project.getVersion(), place.buildManifest(), place.workDir()
                        .resolve("run-disk"), resetDisk, updateMode ? Optional.of(source(facts)) : Optional.empty(),
                Instant.now(), context.log()));
    }

    /** The user data checked against the image's models, with the files rendered from it, as a disk. */
    private Path userDataDisk(MavenProjectFacts facts, VariantPlace place, String label, Context context)
            throws TwoliterException, IOException {
        String module = facts.module() + label;
        Path file = userData.toPath();
        if (!Files.isRegularFile(file) || Files.size(file) > UserDataDisk.MAX_ENTRY_BYTES) {
            throw new TwoliterException(module + ": the user data " + file + " (twoliter.run.userData) is not a file"
                    + " of at most " + UserDataDisk.MAX_ENTRY_BYTES + " bytes.");
        }
        String text = Files.readString(file);
        SettingsCheck.Result applied = SettingsCheck.withUserData(SettingsBundle.read(place.workDir().resolve(
                VariantBuild.SETTINGS_DIR)), module, new SettingsCheck.UserDataInput(text,
                        file.getFileName().toString()));
        Path disk = place.workDir().resolve("run-user-data.img");
        UserDataDisk.write(text, applied.files(), disk);
        context.log().info(module + ": user data " + file.getFileName() + " fits the settings models; the machine"
                + " gets it with " + applied.files().size() + " configuration file(s) rendered from it");
        return disk;
    }

    private UpdateRun.Source source(MavenProjectFacts facts) throws TwoliterException, IOException {
        if (seed < 0 || seed >= WavePolicy.SEEDS) {
            throw new TwoliterException(facts.module() + ": twoliter.run.seed is " + seed + "; give 0 to "
                    + (WavePolicy.SEEDS - 1) + ".");
        }
        String trusted = trustedRoot != null && !trustedRoot.isBlank() ? trustedRoot : updateTrustedRoot;
        if (trusted == null || trusted.isBlank()) {
            throw new TwoliterException(facts.module() + ": the update mode needs the root the machine trusts:"
                    + " twoliter.run.trustedRoot (or updateTrustedRoot), relative to the project root.");
        }
        Path root = MavenKits.lockFile(project).getParent().resolve(trusted.strip()).normalize();
        if (!Files.isRegularFile(root) || Files.size(root) > 1 << 20) {
            throw new TwoliterException(facts.module() + ": the trusted root " + root + " is missing or larger than"
                    + " 1 MiB.");
        }
        String url = runUpdateRepository.strip();
        if (!url.matches("(?i)(file|https?)://.+")) {
            Path dir = Path.of(url);
            if (!dir.isAbsolute()) {
                dir = MavenKits.lockFile(project).getParent().resolve(url);
            }
            url = dir.normalize().toUri().toString();
        }
        if (session.isOffline() && !url.toLowerCase(Locale.ROOT).startsWith("file:")) {
            throw new TwoliterException(facts.module() + ": Maven runs offline (-o); the update mode reads the update"
                    + " repository at " + dev.twoliter.engine.net.Urls.redact(url) + ".");
        }
        if (!runRepositoryId.matches("[A-Za-z0-9_.-]{1,128}")) {
            throw new TwoliterException("twoliter.run.repositoryId " + Syntax.show(runRepositoryId)
                    + " is not a settings.xml server id.");
        }
        return new UpdateRun.Source(new MavenUpdateRepository(repositorySystem, transporters,
                session.getRepositorySession(), runRepositoryId, url, networkLimits()), Files.readAllBytes(root), seed);
    }
}
