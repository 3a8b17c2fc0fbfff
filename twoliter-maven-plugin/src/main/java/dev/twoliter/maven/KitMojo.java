package dev.twoliter.maven;

import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.kit.KitBuild;
import dev.twoliter.engine.sbom.Sboms;
import dev.twoliter.engine.kit.KitBuildRequest;
import dev.twoliter.engine.kit.KitBuildResult;
import dev.twoliter.engine.kit.ResolvedKit;
import dev.twoliter.engine.signing.KitSigningKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
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

    @Override
    void build(Context context) throws TwoliterException, IOException {
        KitBuildResult result = context.runner().run(new KitBuild(request(context, kitGraph(kits(), context))));
        project.getArtifact().setFile(result.manifest().toFile());
        projectHelper.attachArtifact(project, MavenKits.PAYLOAD_EXTENSION, result.arch(), result.payload().toFile());
        for (Path sbom : result.sboms()) {
            // The type is the two-part extension (spdx.json, cdx.json); the file name has the version's dots too.
            String type = (sbom.getFileName().toString().endsWith(Sboms.SPDX_SUFFIX) ? Sboms.SPDX_SUFFIX
                    : Sboms.CYCLONEDX_SUFFIX).substring(1);
            projectHelper.attachArtifact(project, type, result.arch() + "-sbom", sbom.toFile());
        }
        context.log().info(context.facts().module() + ": kit manifest " + result.manifest().getFileName() + ", "
                + result.arch() + " payload " + result.payload().getFileName());
        sign(context, result.manifest());
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

    private KitBuildRequest request(Context context, List<ResolvedKit> graph) throws TwoliterException {
        MavenProjectFacts facts = context.facts();
        String base = facts.finalName();
        return new KitBuildRequest(facts.coordinates(), facts.rpmArtifactsByName(), facts.directKitDependencies(),
                graph, context.arch(), sdkImage, pullSdk, buildTimestamp(), facts.workDir(),
                facts.targetDir().resolve(base + "." + MavenKits.MANIFEST_EXTENSION),
                facts.targetDir().resolve(base + "-" + context.arch() + "." + MavenKits.PAYLOAD_EXTENSION), timeout(),
                force, plugin.getVersion(), MavenTerms.INSTANCE);
    }
}
