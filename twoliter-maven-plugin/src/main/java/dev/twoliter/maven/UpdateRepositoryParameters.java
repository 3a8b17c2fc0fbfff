package dev.twoliter.maven;

import dev.twoliter.engine.Arch;
import dev.twoliter.engine.Arches;
import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.io.AtomicFiles;
import dev.twoliter.engine.net.Urls;
import dev.twoliter.engine.update.HumanDuration;
import dev.twoliter.engine.update.UpdateRepositoryLayout;
import dev.twoliter.engine.update.tuf.ExpirationPolicy;
import dev.twoliter.engine.update.tuf.TufRole;
import dev.twoliter.engine.update.tuf.TufSigningKey;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Component;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.spi.connector.transport.TransporterProvider;

/**
 * What every goal that writes to a variant's update repository shares: where it is, the root it is
 * trusted from, the role keys and their passphrase, and how long new metadata stays valid. Paths
 * are relative to the project root (where twoliter.lock is); passphrases never come from the POM.
 */
abstract class UpdateRepositoryParameters extends NetworkParameters {
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

    /** How long a new root stays valid (root rotation). */
    @Parameter(property = "twoliter.update.rootExpiration", defaultValue = "365 days")
    String updateRootExpiration;

    /** Target architecture: x86_64 or aarch64; by default the arch of the machine Maven runs on. */
    @Parameter(property = "twoliter.arch")
    String arch;

    /**
     * The arches the project builds (as for the build goals): each arch has its own metadata in the
     * repository, in the directory named after the variant and the arch, and a goal works on every
     * one of them unless twoliter.arch names one.
     */
    @Parameter(property = "twoliter.arches")
    String arches;

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

    /** What the goal does, in a work directory it may fill (emptied before and after). */
    interface Work {
        void run(String module, Path workDir) throws TwoliterException, IOException;
    }

    /** Runs a goal that needs a configured repository, the network and a variant module. */
    void withRepository(String goalWork, Work work) throws MojoExecutionException, MojoFailureException {
        String module = new MavenProjectFacts(project).module();
        Path dir = Path.of(project.getBuild().getDirectory(), "twoliter", goalWork);
        try {
            if (!"variant".equals(project.getPackaging())) {
                throw new TwoliterException(module + ": update repositories belong to variants; this module is"
                        + " packaged as " + project.getPackaging() + ".");
            }
            required(updateRepository, "twoliter.update.repository", module);
            // A file:// repository needs no network, as for Maven's own repositories.
            if (session.isOffline() && !updateRepository.strip().toLowerCase(Locale.ROOT).startsWith("file:")) {
                throw new TwoliterException(module + ": Maven runs offline (-o); the update repository needs the"
                        + " network.");
            }
            AtomicFiles.deleteTree(dir);
            Files.createDirectories(dir);
            work.run(module, dir);
            AtomicFiles.deleteTree(dir);
        } catch (TwoliterException | IOException e) {
            Exception mapped = MojoErrors.map(e);
            if (mapped instanceof MojoFailureException f) {
                throw f;
            }
            throw (MojoExecutionException) mapped;
        }
    }

    MavenUpdateRepository store() throws TwoliterException {
        String url = updateRepository.strip();
        if (!url.matches("(?i)(file|https?)://.+")) {
            throw new TwoliterException("twoliter.update.repository " + Syntax.show(Urls.redact(url))
                    + " is not a file://, http:// or https:// URL.");
        }
        if (!SERVER_ID.matcher(String.valueOf(updateRepositoryId)).matches()) {
            throw new TwoliterException("twoliter.update.repositoryId " + Syntax.show(updateRepositoryId)
                    + " is not a settings.xml server id (letters, digits, '.', '_', '-').");
        }
        return new MavenUpdateRepository(repositorySystem, transporters, session.getRepositorySession(),
                updateRepositoryId, url, networkLimits());
    }

    /** The arches this run works on, named after the module for messages. */
    Arches targets(String module) throws TwoliterException {
        try {
            return Arches.select(arches, arch, "twoliter.arches");
        } catch (TwoliterException e) {
            throw new TwoliterException(module + ": " + e.getMessage());
        }
    }

    UpdateRepositoryLayout layout(Arch target) {
        return new UpdateRepositoryLayout(project.getArtifactId().toLowerCase(Locale.ROOT), target.rpmName());
    }

    /** Runs {@code work} for each arch of the run, in a work directory of that arch. */
    void forEachArch(String goalWork, ArchWork work) throws MojoExecutionException, MojoFailureException {
        String module = new MavenProjectFacts(project).module();
        Arches targets;
        try {
            targets = targets(module);
        } catch (TwoliterException e) {
            throw new MojoFailureException(e.getMessage(), e);
        }
        for (Arch target : targets.all()) {
            String label = targets.severalDeclared() ? module + " (" + target + ")" : module;
            withRepository(goalWork + "-" + target, (m, dir) -> work.run(label, target, targets, dir));
        }
    }

    /** What a goal does for one arch. */
    interface ArchWork {
        void run(String module, Arch target, Arches targets, Path workDir) throws TwoliterException, IOException;
    }

    Path projectRoot() {
        return MavenKits.lockFile(project).getParent();
    }

    Path trustedRoot(String module) throws TwoliterException {
        return projectRoot().resolve(required(updateTrustedRoot, "twoliter.update.trustedRoot", module)).normalize();
    }

    ExpirationPolicy expirations() throws TwoliterException {
        return new ExpirationPolicy(duration(updateRootExpiration, "twoliter.update.rootExpiration"),
                duration(updateTargetsExpiration, "twoliter.update.targetsExpiration"),
                duration(updateSnapshotExpiration, "twoliter.update.snapshotExpiration"),
                duration(updateTimestampExpiration, "twoliter.update.timestampExpiration"));
    }

    Optional<char[]> passphrase() throws TwoliterException {
        return signingPassphrase().read(session, settingsDecrypter);
    }

    SigningPassphrase signingPassphrase() {
        return new SigningPassphrase(updateSigningServerId, updateSigningPassphraseEnv,
                "twoliter.update.signingServerId", "twoliter.update.signingPassphraseEnv");
    }

    /** The signing keys of the targets, snapshot and timestamp roles. */
    Map<TufRole, List<TufSigningKey>> roleKeys(String module) throws TwoliterException {
        Optional<char[]> secret = passphrase();
        Map<TufRole, List<TufSigningKey>> keys = new EnumMap<>(TufRole.class);
        keys.put(TufRole.TARGETS, keys(updateTargetsKey, "twoliter.update.targetsKey", module, secret));
        keys.put(TufRole.SNAPSHOT, keys(updateSnapshotKey, "twoliter.update.snapshotKey", module, secret));
        keys.put(TufRole.TIMESTAMP, keys(updateTimestampKey, "twoliter.update.timestampKey", module, secret));
        return keys;
    }

    /** Comma-separated PEM files, relative to the project root. */
    List<TufSigningKey> keys(String files, String setting, String module, Optional<char[]> secret)
            throws TwoliterException {
        List<TufSigningKey> keys = new ArrayList<>();
        for (String file : required(files, setting, module).split(",")) {
            if (!file.isBlank()) {
                keys.add(TufSigningKey.load(projectRoot().resolve(file.strip()).normalize(), secret,
                        signingPassphrase().source()));
            }
        }
        return keys;
    }

    static Duration duration(String text, String setting) throws TwoliterException {
        Duration d = HumanDuration.parse(text).orElseThrow(() -> new TwoliterException(setting + " is "
                + Syntax.show(text) + "; give a duration such as \"14 days\", \"4 hours\" or P14D."));
        if (d.isNegative() || d.compareTo(Duration.ofDays(3660)) > 0) {
            throw new TwoliterException(setting + " is " + Syntax.show(text) + "; give a duration from 0 to 10 years.");
        }
        return d;
    }

    static String required(String value, String setting, String module) throws TwoliterException {
        if (value == null || value.isBlank()) {
            throw new TwoliterException(module + ": the update repository needs " + setting
                    + " (docs/updates.md#publishing).");
        }
        return value.strip();
    }
}
