package dev.twoliter.maven;

import dev.twoliter.engine.Arch;
import dev.twoliter.engine.Arches;
import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.image.VariantPlace;
import dev.twoliter.engine.update.UpdateRepositoryLayout;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.bank.Bank;
import dev.twoliter.engine.net.Urls;
import dev.twoliter.engine.update.PublishUpdate;
import dev.twoliter.engine.update.PublishUpdateRequest;
import dev.twoliter.engine.update.PublishUpdateResult;
import dev.twoliter.engine.update.UpdatePayloads;
import dev.twoliter.engine.update.UpdateVersion;
import dev.twoliter.engine.update.WavePolicy;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Publishes the variant's bank images as an update to a TUF repository ({@code mvn deploy} runs it
 * after {@code deploy:deploy}; without {@code updateRepository} it does nothing). The repository's
 * current metadata is verified from the trusted root first; this version's bank images (boot or
 * one UKI per bank, root and hash) and the new {@code manifest.json} go up as targets, then the signed metadata, the
 * timestamp last. See docs/updates.md.
 */
@Mojo(name = "publish-update", defaultPhase = LifecyclePhase.DEPLOY, threadSafe = true)
public class PublishUpdateMojo extends UpdateRepositoryParameters {
    /** The newest version machines may move to; this version by default. */
    @Parameter(property = "twoliter.update.maxVersion", defaultValue = "${project.version}")
    String updateMaxVersion;

    /** The staged rollout; none: every machine may update at once. */
    @Parameter
    List<UpdateWave> updateWaves = List.of();

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (updateRepository == null || updateRepository.isBlank()) {
            getLog().debug("No update repository configured (twoliter.update.repository): nothing to publish.");
            return;
        }
        forEachArch("update-publish", (module, target, targets, work) -> report(module,
                PublishUpdate.run(request(module, target, targets, work), store())));
    }

    private PublishUpdateRequest request(String module, Arch target, Arches targets, Path work)
            throws TwoliterException {
        UpdateVersion version = version(project.getVersion(), "the project version", module);
        UpdateVersion max = version(updateMaxVersion, "twoliter.update.maxVersion", module);
        if (max.compareTo(version) < 0) {
            throw new TwoliterException(module + ": twoliter.update.maxVersion " + max + " is below the version being"
                    + " published (" + version + "); machines could never take it.");
        }
        UpdateRepositoryLayout layout = layout(target);
        return new PublishUpdateRequest(layout.variant(), layout.arch(), version, max,
                payloads(module, VariantPlace.classifierPrefix(target, targets.severalDeclared())),
                trustedRoot(module), roleKeys(module), expirations(), waves(), Instant.now(), work,
                new MavenBuildLog(getLog()));
    }

    /**
     * The bank images the variant build attached: root and root-verity, and boot (GRUB images) or
     * uki-a and uki-b (UKI images).
     */
    /** @param classifierPrefix what the arch puts before each classifier (see {@link VariantPlace}) */
    private UpdatePayloads payloads(String module, String classifierPrefix) throws TwoliterException {
        Map<String, UpdatePayloads.Payload> found = new HashMap<>();
        for (Artifact a : project.getAttachedArtifacts()) {
            Optional<String> output = VariantPlace.outputClassifier(classifierPrefix, a.getClassifier())
                    .filter(c -> List.of("boot", "root", "root-verity", "uki-a", "uki-b").contains(c));
            if (a.getFile() != null && output.isPresent()) {
                found.put(output.get(), new UpdatePayloads.Payload(a.getFile().toPath(), a.getType()));
            }
        }
        if (!found.containsKey("root") || !found.containsKey("root-verity")) {
            throw new TwoliterException(module + ": no bank images to publish; run the goal as part of `mvn deploy`"
                    + " (after the variant is built), not alone.");
        }
        if (found.containsKey("uki-a") && found.containsKey("uki-b")) {
            Map<Bank, UpdatePayloads.Payload> ukis = new EnumMap<>(Bank.class);
            ukis.put(Bank.A, found.get("uki-a"));
            ukis.put(Bank.B, found.get("uki-b"));
            return UpdatePayloads.uki(ukis, found.get("root"), found.get("root-verity"));
        }
        if (!found.containsKey("boot")) {
            throw new TwoliterException(module + ": the variant has nothing that boots a bank (no boot partition image"
                    + " and no UKI per bank): updates need in-place updates (two banks) and the grub or uki boot"
                    + " loader.");
        }
        return UpdatePayloads.grub(found.get("boot"), found.get("root"), found.get("root-verity"));
    }

    private WavePolicy waves() throws TwoliterException {
        List<dev.twoliter.engine.update.UpdateWave> waves = new ArrayList<>();
        for (UpdateWave w : updateWaves == null ? List.<UpdateWave>of() : updateWaves) {
            waves.add(new dev.twoliter.engine.update.UpdateWave(duration(w.startAfter, "updateWaves startAfter"),
                    w.fleetPercentage));
        }
        return WavePolicy.of(waves, "updateWaves");
    }

    private static UpdateVersion version(String text, String what, String module) throws TwoliterException {
        return UpdateVersion.parse(text).orElseThrow(() -> new TwoliterException(module + ": " + what + " is "
                + Syntax.show(text) + "; update clients order versions as MAJOR.MINOR.PATCH[-PRERELEASE] (semantic"
                + " versioning), so only such a version can be published."));
    }

    /** @param module the module, with the arch when the project lists several */
    private void report(String module, PublishUpdateResult result) {
        getLog().info(module + ": published " + project.getVersion() + " to the update repository "
                + Urls.redact(updateRepository.strip()) + (result.newRepository() ? " (new repository)" : "")
                + ": targets version " + result.targetsVersion() + ", " + result.bytesUploaded() + " bytes uploaded");
        for (PublishUpdateResult.Target t : result.targets()) {
            getLog().info("  " + t.role() + ": " + t.name() + " (" + t.length() + " bytes) as " + t.storedAs());
        }
    }
}
