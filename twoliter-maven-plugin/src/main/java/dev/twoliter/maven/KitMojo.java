package dev.twoliter.maven;

import dev.twoliter.engine.Arch;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.kit.KitBuild;
import dev.twoliter.engine.sbom.Sboms;
import dev.twoliter.engine.kit.KitBuildRequest;
import dev.twoliter.engine.kit.KitBuildResult;
import dev.twoliter.engine.kit.KitClosure;
import dev.twoliter.engine.kit.KitCoordinates;
import dev.twoliter.engine.kit.KitManifestMerge;
import dev.twoliter.engine.kit.ResolvedKit;
import dev.twoliter.engine.signing.KitSigningKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.plugins.annotations.ResolutionScope;
import org.apache.maven.project.MavenProjectHelper;
import org.apache.maven.settings.crypto.SettingsDecrypter;

/**
 * Builds a {@code kit}: a yum repository of the RPMs of the module's rpm dependencies (their
 * transitive closure, stopping at other kits) as a per-arch payload, plus the manifest that is the
 * module's artifact.
 */
@Mojo(name = "kit", defaultPhase = LifecyclePhase.PACKAGE, threadSafe = true,
        requiresDependencyResolution = ResolutionScope.RUNTIME)
public class KitMojo extends AbstractTwoliterMojo {
    @Component
    private MavenProjectHelper projectHelper;

    @Component
    private SettingsDecrypter settingsDecrypter;

    /**
     * The vendor's OpenPGP secret key (armored or binary) that signs the kit's manifest, relative to
     * the project root; without it the kit is built unsigned. Never put the passphrase in the POM:
     * it comes from {@link #kitSigningServerId} or the environment variable {@link
     * #kitSigningPassphraseEnv}.
     */
    @Parameter(property = "twoliter.kitSigningKey")
    String kitSigningKey;

    /** The id of the settings.xml server entry whose passphrase (or, if it has none, password) unlocks the signing key. */
    @Parameter(property = "twoliter.kitSigningServerId")
    String kitSigningServerId;

    /** The environment variable that holds the signing key's passphrase, if no server id is given. */
    @Parameter(property = "twoliter.kitSigningPassphraseEnv", defaultValue = "TWOLITER_KIT_SIGNING_PASSPHRASE")
    String kitSigningPassphraseEnv;

    /**
     * What the build does when a package requires something that neither the kit, its kit
     * dependencies nor its declared base provide: {@code fail}, {@code warn} or {@code skip} (no
     * check, and no kit payloads of dependencies fetched for it).
     */
    @Parameter(property = "twoliter.closure", defaultValue = "fail")
    String closure;

    /** Requirements the kit's packages may leave unmet on purpose, each with a reason; recorded in the kit manifest. */
    @Parameter
    List<ClosureException> closureExceptions = List.of();

    @Override
    void build(Context context) throws TwoliterException, IOException {
        MavenProjectFacts facts = context.facts();
        MavenKits kits = kits();
        List<ResolvedKit> graph = kitGraph(kits, context);
        KitClosureParameters closureParameters = new KitClosureParameters(closure, closureExceptions, project, session);
        List<Path> archManifests = new ArrayList<>();
        for (Arch target : context.arches().all()) {
            KitClosure closureRequest = closureParameters.forArch(graph, target, kits, kitCache(), context.log());
            KitBuildResult result = context.runner().run(new KitBuild(request(context, target, graph,
                    closureRequest)));
            archManifests.add(result.manifest());
            projectHelper.attachArtifact(project, MavenKits.PAYLOAD_EXTENSION, result.arch(), result.payload().toFile());
            for (Path sbom : result.sboms()) {
                // The type is the two-part extension (spdx.json, cdx.json); the file name has the version's dots too.
                String type = (sbom.getFileName().toString().endsWith(Sboms.SPDX_SUFFIX) ? Sboms.SPDX_SUFFIX
                        : Sboms.CYCLONEDX_SUFFIX).substring(1);
                projectHelper.attachArtifact(project, type, result.arch() + "-sbom", sbom.toFile());
            }
        }
        Path manifest = manifestFile(facts);
        KitManifestMerge.merge(archManifests, manifest, facts.module());
        project.getArtifact().setFile(manifest.toFile());
        context.log().info(facts.module() + ": kit manifest " + manifest.getFileName() + " with payloads for "
                + context.arches());
        sign(context, manifest);
    }

    /** Signs the manifest (which pins every payload and RPM by digest) and attaches the signature, or says why not. */
    private void sign(Context context, Path manifest) throws TwoliterException, IOException {
        Path signature = manifest.resolveSibling(manifest.getFileName() + ".sig");
        if (kitSigningKey == null || kitSigningKey.isBlank()) {
            Files.deleteIfExists(signature);
            context.log().info(context.facts().module() + ": the kit is not signed (no twoliter.kitSigningKey);"
                    + " consumers that require signed kits will refuse it.");
            return;
        }
        Path key = MavenKits.lockFile(project).getParent().resolve(kitSigningKey).normalize();
        SigningPassphrase passphrase = passphrase();
        KitSigningKey signer = KitSigningKey.load(key, passphrase.read(session, settingsDecrypter), passphrase.source(),
                Instant.now());
        signer.signFile(manifest, signature, buildTimestamp().orElse(Instant.EPOCH));
        projectHelper.attachArtifact(project, MavenKits.SIGNATURE_EXTENSION, null, signature.toFile());
        context.log().info(context.facts().module() + ": kit manifest signed by key " + signer.fingerprint() + " ("
                + signature.getFileName() + ")");
    }

    private SigningPassphrase passphrase() {
        return new SigningPassphrase(kitSigningServerId, kitSigningPassphraseEnv, "twoliter.kitSigningServerId",
                "twoliter.kitSigningPassphraseEnv");
    }

    private KitBuildRequest request(Context context, Arch target, List<ResolvedKit> graph, KitClosure closure)
            throws TwoliterException {
        MavenProjectFacts facts = context.facts();
        String base = facts.finalName();
        String module = context.arches().several() ? facts.module() + " (" + target + ")" : facts.module();
        Path workDir = facts.workDir().resolve(target.rpmName());
        // A base kit is checked against, not depended on: consumers bring it themselves.
        List<KitCoordinates> dependencies = facts.directKitDependencies().stream()
                .filter(k -> !closure.base().contains(k)).toList();
        return new KitBuildRequest(facts.coordinates(), module, facts.rpmArtifactsByName(), dependencies, graph, target,
                sdkImage, pullSdk, buildTimestamp(), workDir, workDir.resolve(manifestFile(facts).getFileName()),
                facts.targetDir().resolve(base + "-" + target + "." + MavenKits.PAYLOAD_EXTENSION), timeout(),
                force, plugin.getVersion(), MavenTerms.INSTANCE, closure);
    }

    private static Path manifestFile(MavenProjectFacts facts) {
        return facts.targetDir().resolve(facts.finalName() + "." + MavenKits.MANIFEST_EXTENSION);
    }
}
