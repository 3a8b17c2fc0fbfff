package dev.twoliter.maven;

import dev.twoliter.engine.Arch;
import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.io.AtomicFiles;
import dev.twoliter.engine.update.HumanDuration;
import dev.twoliter.engine.update.PublishUpdate;
import dev.twoliter.engine.update.PublishUpdateRequest;
import dev.twoliter.engine.update.PublishUpdateResult;
import dev.twoliter.engine.update.UpdatePayloads;
import dev.twoliter.engine.update.UpdateVersion;
import dev.twoliter.engine.update.WavePolicy;
import dev.twoliter.engine.update.tuf.ExpirationPolicy;
import dev.twoliter.engine.update.tuf.TufRole;
import dev.twoliter.engine.update.tuf.TufSigningKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.spi.connector.transport.TransporterProvider;

/**
 * Publishes the variant's bank images as an update to a TUF repository ({@code mvn deploy} runs it
 * after {@code deploy:deploy}; without {@code updateRepository} it does nothing). The repository's
 * current metadata is verified from the trusted root first; this version's boot, root and hash
 * images and the new {@code manifest.json} go up as targets, then the signed metadata, the
 * timestamp last. See docs/updates.md.
 */
@Mojo(name = "publish-update", defaultPhase = LifecyclePhase.DEPLOY, threadSafe = true)
public class PublishUpdateMojo extends NetworkParameters {
    private static final Pattern SERVER_ID = Pattern.compile("[A-Za-z0-9_.-]{1,128}");

    /** The update repository's URL: file://, http(s):// (a raw repository or a WebDAV server). */
    @Parameter(property = "twoliter.update.repository")
    String updateRepository;

    /** The settings.xml {@code <server>} whose credentials the upload uses. */
    @Parameter(property = "twoliter.update.repositoryId", defaultValue = "twoliter-updates")
    String updateRepositoryId;

    /** The repository's root metadata (from twoliter:generate-keys), relative to the project root. */
    @Parameter(property = "twoliter.update.trustedRoot")
    String updateTrustedRoot;

    /** The targets role's signing key(s), comma-separated PEM files relative to the project root. */
    @Parameter(property = "twoliter.update.targetsKey")
    String updateTargetsKey;

    /** The snapshot role's signing key(s). */
    @Parameter(property = "twoliter.update.snapshotKey")
    String updateSnapshotKey;

    /** The timestamp role's signing key(s). */
    @Parameter(property = "twoliter.update.timestampKey")
    String updateTimestampKey;

    /** The settings.xml server whose passphrase unlocks the role keys. */
    @Parameter(property = "twoliter.update.signingServerId")
    String updateSigningServerId;

    /** The environment variable with the role keys' passphrase. */
    @Parameter(property = "twoliter.update.signingPassphraseEnv", defaultValue = "TWOLITER_UPDATE_SIGNING_PASSPHRASE")
    String updateSigningPassphraseEnv;

    /** How long the targets metadata stays valid ("14 days", P14D). */
    @Parameter(property = "twoliter.update.targetsExpiration", defaultValue = "14 days")
    String updateTargetsExpiration;

    /** How long the snapshot metadata stays valid. */
    @Parameter(property = "twoliter.update.snapshotExpiration", defaultValue = "14 days")
    String updateSnapshotExpiration;

    /** How long the timestamp metadata stays valid. */
    @Parameter(property = "twoliter.update.timestampExpiration", defaultValue = "7 days")
    String updateTimestampExpiration;

    /** The newest version machines may move to; this version by default. */
    @Parameter(property = "twoliter.update.maxVersion", defaultValue = "${project.version}")
    String updateMaxVersion;

    /** The staged rollout; none: every machine may update at once. */
    @Parameter
    List<UpdateWave> updateWaves = List.of();

    /** Target architecture: x86_64 or aarch64. */
    @Parameter(property = "twoliter.arch", defaultValue = "x86_64")
    String arch;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    MavenSession session;

    @Component
    RepositorySystem repositorySystem;

    @Component
    TransporterProvider transporters;

    @Component
    SettingsDecrypter settingsDecrypter;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (updateRepository == null || updateRepository.isBlank()) {
            getLog().debug("No update repository configured (twoliter.update.repository): nothing to publish.");
            return;
        }
        String module = new MavenProjectFacts(project).module();
        Path work = Path.of(project.getBuild().getDirectory(), "twoliter", "update-publish");
        try {
            if (!"variant".equals(project.getPackaging())) {
                throw new TwoliterException(module + ": only a variant publishes updates; this module is packaged as "
                        + project.getPackaging() + ".");
            }
            if (session.isOffline()) {
                throw new TwoliterException(module + ": Maven runs offline (-o); publishing to the update repository "
                        + "needs the network.");
            }
            AtomicFiles.deleteTree(work);
            Files.createDirectories(work);
            PublishUpdateResult result = PublishUpdate.run(request(module, work), store());
            report(module, result);
            AtomicFiles.deleteTree(work);
        } catch (TwoliterException | IOException e) {
            Exception mapped = MojoErrors.map(e);
            if (mapped instanceof MojoFailureException f) {
                throw f;
            }
            throw (MojoExecutionException) mapped;
        }
    }

    private PublishUpdateRequest request(String module, Path work) throws TwoliterException {
        Path root = MavenKits.lockFile(project).getParent();
        String trusted = required(updateTrustedRoot, "twoliter.update.trustedRoot", module);
        UpdateVersion version = version(project.getVersion(), "the project version", module);
        UpdateVersion max = version(updateMaxVersion, "twoliter.update.maxVersion", module);
        if (max.compareTo(version) < 0) {
            throw new TwoliterException(module + ": twoliter.update.maxVersion " + max + " is below the version being"
                    + " published (" + version + "); machines could never take it.");
        }
        return new PublishUpdateRequest(project.getArtifactId().toLowerCase(Locale.ROOT), Arch.of(arch).rpmName(),
                version, max, payloads(module), root.resolve(trusted).normalize(), keys(root, module),
                new ExpirationPolicy(Duration.ofDays(365), duration(updateTargetsExpiration,
                        "twoliter.update.targetsExpiration"), duration(updateSnapshotExpiration,
                        "twoliter.update.snapshotExpiration"), duration(updateTimestampExpiration,
                        "twoliter.update.timestampExpiration")),
                waves(), Instant.now(), work, new MavenBuildLog(getLog()));
    }

    private MavenUpdateRepository store() throws TwoliterException {
        String url = updateRepository.strip();
        if (!url.matches("(?i)(file|https?|dav|dav:https?)://.+")) {
            throw new TwoliterException("twoliter.update.repository " + Syntax.show(dev.twoliter.engine.net.Urls
                    .redact(url)) + " is not a file://, http:// or https:// URL.");
        }
        if (!SERVER_ID.matcher(String.valueOf(updateRepositoryId)).matches()) {
            throw new TwoliterException("twoliter.update.repositoryId " + Syntax.show(updateRepositoryId)
                    + " is not a settings.xml server id (letters, digits, '.', '_', '-').");
        }
        return new MavenUpdateRepository(repositorySystem, transporters, session.getRepositorySession(),
                updateRepositoryId, url, networkLimits());
    }

    /** The bank images the variant build attached (classifiers boot, root and root-verity). */
    private UpdatePayloads payloads(String module) throws TwoliterException {
        Map<String, UpdatePayloads.Payload> found = new java.util.HashMap<>();
        for (Artifact a : project.getAttachedArtifacts()) {
            if (a.getFile() != null && List.of("boot", "root", "root-verity").contains(a.getClassifier())) {
                found.put(a.getClassifier(), new UpdatePayloads.Payload(a.getFile().toPath(), a.getType()));
            }
        }
        if (!found.containsKey("root") || !found.containsKey("root-verity")) {
            throw new TwoliterException(module + ": no bank images to publish; run the goal as part of `mvn deploy`"
                    + " (after the variant is built), not alone.");
        }
        if (!found.containsKey("boot")) {
            throw new TwoliterException(module + ": the variant has no boot partition image (bootloader uki or none);"
                    + " publishing updates needs the grub bootloader for now.");
        }
        return new UpdatePayloads(found.get("boot"), found.get("root"), found.get("root-verity"));
    }

    private Map<TufRole, List<TufSigningKey>> keys(Path root, String module) throws TwoliterException {
        SigningPassphrase passphrase = new SigningPassphrase(updateSigningServerId, updateSigningPassphraseEnv,
                "twoliter.update.signingServerId", "twoliter.update.signingPassphraseEnv");
        Optional<char[]> secret = passphrase.read(session, settingsDecrypter);
        Map<TufRole, List<TufSigningKey>> keys = new EnumMap<>(TufRole.class);
        keys.put(TufRole.TARGETS, load(root, updateTargetsKey, "twoliter.update.targetsKey", module, secret, passphrase));
        keys.put(TufRole.SNAPSHOT, load(root, updateSnapshotKey, "twoliter.update.snapshotKey", module, secret,
                passphrase));
        keys.put(TufRole.TIMESTAMP, load(root, updateTimestampKey, "twoliter.update.timestampKey", module, secret,
                passphrase));
        return keys;
    }

    private static List<TufSigningKey> load(Path root, String files, String setting, String module,
            Optional<char[]> secret, SigningPassphrase passphrase) throws TwoliterException {
        List<TufSigningKey> keys = new ArrayList<>();
        for (String file : required(files, setting, module).split(",")) {
            if (!file.isBlank()) {
                keys.add(TufSigningKey.load(root.resolve(file.strip()).normalize(), secret, passphrase.source()));
            }
        }
        return keys;
    }

    private WavePolicy waves() throws TwoliterException {
        List<dev.twoliter.engine.update.UpdateWave> waves = new ArrayList<>();
        for (UpdateWave w : updateWaves == null ? List.<UpdateWave>of() : updateWaves) {
            waves.add(new dev.twoliter.engine.update.UpdateWave(duration(w.startAfter, "updateWaves startAfter"), w.fleetPercentage));
        }
        return WavePolicy.of(waves, "updateWaves");
    }

    private static Duration duration(String text, String setting) throws TwoliterException {
        Duration d = HumanDuration.parse(text).orElseThrow(() -> new TwoliterException(setting + " is "
                + Syntax.show(text) + "; give a duration such as \"14 days\", \"4 hours\" or P14D."));
        if (d.isNegative() || d.compareTo(Duration.ofDays(3660)) > 0) {
            throw new TwoliterException(setting + " is " + Syntax.show(text) + "; give a duration from 0 to 10 years.");
        }
        return d;
    }

    private static UpdateVersion version(String text, String what, String module) throws TwoliterException {
        return UpdateVersion.parse(text).orElseThrow(() -> new TwoliterException(module + ": " + what + " is "
                + Syntax.show(text) + "; update clients order versions as MAJOR.MINOR.PATCH[-PRERELEASE] (semantic"
                + " versioning), so only such a version can be published."));
    }

    private static String required(String value, String setting, String module) throws TwoliterException {
        if (value == null || value.isBlank()) {
            throw new TwoliterException(module + ": publishing to an update repository needs " + setting
                    + " (docs/updates.md#publishing).");
        }
        return value.strip();
    }

    private void report(String module, PublishUpdateResult result) {
        getLog().info(module + ": published " + project.getVersion() + " to the update repository "
                + dev.twoliter.engine.net.Urls.redact(updateRepository.strip())
                + (result.newRepository() ? " (new repository)" : "") + ": targets version " + result.targetsVersion()
                + ", " + result.bytesUploaded() + " bytes uploaded");
        for (PublishUpdateResult.Target t : result.targets()) {
            getLog().info("  " + t.role() + ": " + t.name() + " (" + t.length() + " bytes) as " + t.storedAs());
        }
    }
}
