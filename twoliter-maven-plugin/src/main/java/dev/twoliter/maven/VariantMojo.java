package dev.twoliter.maven;

import dev.twoliter.engine.Arch;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.closure.ClosurePolicy;
import dev.twoliter.engine.image.VariantClosure;
import dev.twoliter.engine.image.ImageOptions;
import dev.twoliter.engine.image.VariantBuild;
import dev.twoliter.engine.image.VariantBuildRequest;
import dev.twoliter.engine.image.VariantBuildResult;
import dev.twoliter.engine.image.VariantPlace;
import dev.twoliter.engine.kit.KitRepository;
import dev.twoliter.engine.signing.RootHashSigner;
import dev.twoliter.engine.signing.SecureBootSigner;
import dev.twoliter.engine.signing.SigningException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProjectHelper;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Assembles a {@code variant}: an OS disk image (GPT, A/B banks, dm-verity protected root, boot and
 * data partitions) from the variant's rpm modules and kits, plus the update payloads, the application
 * inventory and a build manifest (the module's artifact).
 */
@Mojo(name = "variant", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true,
        requiresDependencyResolution = ResolutionScope.RUNTIME)
public class VariantMojo extends AbstractTwoliterMojo {
    @Component
    private MavenProjectHelper projectHelper;

    /** Names of the packages to install; their Requires are resolved across local packages and kits. */
    @Parameter(required = true)
    private List<String> includedPackages;

    /** Image formats: raw, qcow2, vmdk (any number). */
    @Parameter(property = "twoliter.imageFormats", defaultValue = "raw")
    private List<String> imageFormats;

    /** Compression of raw images and update payloads: zstd, lz4 or none. */
    @Parameter(property = "twoliter.imageCompression", defaultValue = "zstd")
    private String imageCompression;

    /** Disk sizes, partition plan and A/B banks. */
    @Parameter
    private ImageLayout imageLayout = new ImageLayout();

    /** Root filesystem: ext4 or erofs. */
    @Parameter(defaultValue = "ext4")
    private String rootFilesystem;

    /** Kernel parameters, placed before the ones the image needs (root, dm-verity). */
    @Parameter
    private List<String> kernelParameters = List.of();

    /** The OS name in os-release and the boot menu. */
    @Parameter(defaultValue = "${project.name}")
    private String prettyName;

    /** The variant's own default settings: TOML files here override what packages ship. */
    @Parameter(property = "twoliter.settingsDirectory", defaultValue = "${project.basedir}/settings.d")
    private File settingsDirectory;

    /**
     * Whether the packages' install scriptlets run while the image is built: {@code skip} (no package
     * code runs at build time) or {@code run} (they run, chrooted into the image root, in a container
     * of their own; what the build records about the packages comes from a pass without them).
     */
    @Parameter(property = "twoliter.packageScriptlets", defaultValue = "skip")
    private String packageScriptlets;

    /**
     * How the image boots: {@code grub} (GRUB for BIOS and UEFI, reading grub.cfg and the kernel from
     * the BOOT partition of bank A or B, chosen with one try and rollback), {@code uki} (Unified Kernel Images started by UEFI: with in-place
     * updates one per bank, chosen by systemd-boot with one try and rollback; with
     * {@code <imageLayout><inPlaceUpdates>false} one UKI that the firmware starts itself), or {@code none} (no loader; BOOT-A holds the kernel
     * and grub.cfg for a loader of your own).
     */
    @Parameter(property = "twoliter.bootloader", defaultValue = "grub")
    private String bootloader;

    /** BUILD_ID in os-release; default: derived from the build's inputs. */
    @Parameter(property = "twoliter.buildId")
    private String buildId;

    @Component
    private SettingsDecrypter settingsDecrypter;

    /**
     * The PEM private key (PKCS#8 or OpenSSL's RSA/EC form, possibly encrypted) that signs the
     * dm-verity root hash for the kernel's root_hash_sig_key_desc check, relative to the project
     * root; needs rootHashSigningCertificate. Without it the root hash is not signed.
     */
    @Parameter(property = "twoliter.rootHashSigningKey")
    private String rootHashSigningKey;

    /** The PEM X.509 certificate of rootHashSigningKey, relative to the project root. */
    @Parameter(property = "twoliter.rootHashSigningCertificate")
    private String rootHashSigningCertificate;

    /** The id of the settings.xml server entry whose passphrase (or password) unlocks rootHashSigningKey. */
    @Parameter(property = "twoliter.rootHashSigningServerId")
    private String rootHashSigningServerId;

    /** The environment variable that holds rootHashSigningKey's passphrase, if no server id is given. */
    @Parameter(property = "twoliter.rootHashSigningPassphraseEnv", defaultValue = "TWOLITER_ROOT_HASH_SIGNING_PASSPHRASE")
    private String rootHashSigningPassphraseEnv;

    /**
     * The PEM RSA private key (PKCS#8 or OpenSSL's RSA form, possibly encrypted) enrolled in the
     * firmware's db, that signs the EFI executable the firmware starts (the UKI, or GRUB's EFI image)
     * for UEFI Secure Boot, relative to the project root; needs secureBootSigningCertificate. Without
     * it the image is not signed.
     */
    @Parameter(property = "twoliter.secureBootSigningKey")
    private String secureBootSigningKey;

    /** The PEM X.509 certificate of secureBootSigningKey (the one enrolled in db), relative to the project root. */
    @Parameter(property = "twoliter.secureBootSigningCertificate")
    private String secureBootSigningCertificate;

    /** The id of the settings.xml server entry whose passphrase (or password) unlocks secureBootSigningKey. */
    @Parameter(property = "twoliter.secureBootSigningServerId")
    private String secureBootSigningServerId;

    /** The environment variable that holds secureBootSigningKey's passphrase, if no server id is given. */
    @Parameter(property = "twoliter.secureBootSigningPassphraseEnv",
            defaultValue = "TWOLITER_SECURE_BOOT_SIGNING_PASSPHRASE")
    private String secureBootSigningPassphraseEnv;

    /**
     * What the build does, before dnf runs, when a package the install can bring in requires something
     * that neither the variant's packages nor its kits provide: {@code fail}, {@code warn} or {@code skip}.
     */
    @Parameter(property = "twoliter.closure", defaultValue = "fail")
    String closure;

    /** Requirements the variant's packages may leave unmet on purpose, each with a reason. */
    @Parameter
    List<ClosureException> closureExceptions = List.of();

    @Override
    void build(Context context) throws TwoliterException, IOException {
        ImageOptions options = ImageOptions.parse(new ImageOptions.Raw(imageLayout.osImageSizeGib,
                imageLayout.dataImageSizeGib, imageLayout.partitionPlan, imageLayout.inPlaceUpdates, rootFilesystem,
                nonNull(imageFormats), imageCompression, nonNull(kernelParameters),
                prettyName == null || prettyName.isBlank() ? project.getArtifactId() : prettyName, packageScriptlets,
                bootloader),
                context.facts().module(), MavenTerms.INSTANCE);
        Map<Arch, List<KitRepository>> kitRepositories = kitRepositoriesByArch(context);
        for (Arch target : context.arches().all()) {
            VariantPlace place = place(context, target);
            String module = context.arches().several() ? context.facts().module() + " (" + target + ")"
                    : context.facts().module();
            VariantBuildResult result = context.runner().run(new VariantBuild(request(context, target, place,
                    options, kitRepositories.get(target)), module));
            attach(context, target, place, result);
            context.log().info(module + ": " + result.outputs().size() + " image file(s) in "
                    + result.buildManifest().getParent());
        }
    }

    /** Where a target's files go: see {@link VariantPlace}; the run goal finds them the same way. */
    static VariantPlace place(Context context, Arch target) {
        return VariantPlace.of(context.facts().targetDir(), context.facts().finalName(), target,
                context.arches().severalDeclared());
    }

    /**
     * The build manifest of the run's first arch is the module's artifact; in a project with several
     * arches every arch's manifest is also attached under the arch's name, beside its images.
     */
    private void attach(Context context, Arch target, VariantPlace place, VariantBuildResult result) {
        if (target == context.arches().first()) {
            project.getArtifact().setFile(result.buildManifest().toFile());
        }
        if (context.arches().severalDeclared()) {
            projectHelper.attachArtifact(project, "variant.json", target.rpmName(), result.buildManifest().toFile());
        }
        for (VariantBuildResult.Output output : result.outputs()) {
            projectHelper.attachArtifact(project, output.type(), place.classifier(output.classifier()),
                    output.file().toFile());
        }
    }

    /** An empty XML element gives a null entry; it must reach validation as an (invalid) empty value. */
    private static List<String> nonNull(List<String> values) {
        return values == null ? List.of() : values.stream().map(v -> v == null ? "" : v).toList();
    }

    private VariantBuildRequest request(Context context, Arch target, VariantPlace place,
            ImageOptions options, List<KitRepository> kitRepositories) throws TwoliterException, IOException {
        MavenProjectFacts facts = context.facts();
        Map<String, Path> local = facts.rpmArtifactsByModule();
        List<Path> settings = List.of();
        if (settingsDirectory.isDirectory()) {
            try (Stream<Path> files = Files.list(settingsDirectory.toPath())) {
                settings = files.filter(p -> p.toString().endsWith(".toml")).sorted().toList();
            }
        }
        String version = project.getVersion();
        String id = buildId != null && !buildId.isBlank() ? buildId
                : VariantBuildRequest.defaultBuildId(facts.module(), version, local, kitRepositories, target);
        return new VariantBuildRequest(facts.module(), project.getArtifactId().toLowerCase(Locale.ROOT), version, id,
                nonNull(includedPackages), local, kitRepositories, settings, options, target, sdkImage,
                pullSdk, buildTimestamp(), place.workDir(), place.outputDir(), place.baseName(),
                timeout(), force, plugin.getVersion(), MavenTerms.INSTANCE, rootHashSigner(), secureBootSigner(),
                variantClosure(facts.module()));
    }

    private VariantClosure variantClosure(String module) throws TwoliterException {
        ClosurePolicy policy = ClosurePolicy.parse(closure).orElseThrow(() -> new TwoliterException(module + ": "
                + ClosurePolicy.refusal("twoliter.closure (<closure>)", closure)));
        return new VariantClosure(policy, ClosureException.parse(closureExceptions, module));
    }

    // Lambdas, not method references: a method reference links the signer's class where it is
    // evaluated, and with it BouncyCastle's signed jars, whose verification costs a build that signs
    // nothing (most no-op builds) about 0.75 CPU-s (measured); a lambda's body only runs when a key is set.
    private Optional<RootHashSigner> rootHashSigner() throws TwoliterException {
        return signer("the root hash", rootHashSigningKey, rootHashSigningCertificate, rootHashSigningServerId,
                rootHashSigningPassphraseEnv, "twoliter.rootHashSigning",
                (key, certificate, passphrase, source, now) -> RootHashSigner.load(key, certificate, passphrase,
                        source, now));
    }

    private Optional<SecureBootSigner> secureBootSigner() throws TwoliterException {
        return signer("the EFI executable (Secure Boot)", secureBootSigningKey, secureBootSigningCertificate,
                secureBootSigningServerId, secureBootSigningPassphraseEnv, "twoliter.secureBootSigning",
                (key, certificate, passphrase, source, now) -> SecureBootSigner.load(key, certificate, passphrase,
                        source, now));
    }

    /** How a signer of either kind is read from its key, certificate and passphrase. */
    private interface SignerLoader<T> {
        T load(Path key, Path certificate, Optional<char[]> passphrase, String passphraseSource,
                java.time.Instant now) throws SigningException;
    }

    /** Both files or neither; they are relative to the project root, like twoliter.lock. */
    private <T> Optional<T> signer(String what, String keyFile, String certificateFile, String serverId,
            String passphraseEnv, String prefix, SignerLoader<T> loader) throws TwoliterException {
        boolean key = keyFile != null && !keyFile.isBlank();
        boolean certificate = certificateFile != null && !certificateFile.isBlank();
        if (key != certificate) {
            throw new TwoliterException(new MavenProjectFacts(project).module() + ": " + what + " is signed with a key"
                    + " and its certificate; set both " + prefix + "Key and " + prefix + "Certificate, or neither.");
        }
        if (!key) {
            return Optional.empty();
        }
        Path root = MavenKits.lockFile(project).getParent();
        SigningPassphrase passphrase = new SigningPassphrase(serverId, passphraseEnv, prefix + "ServerId",
                prefix + "PassphraseEnv");
        return Optional.of(loader.load(root.resolve(keyFile).normalize(), root.resolve(certificateFile).normalize(),
                passphrase.read(session, settingsDecrypter), passphrase.source(), java.time.Instant.now()));
    }
}
