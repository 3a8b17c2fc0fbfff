package dev.twoliter.maven;

import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.update.RepositoryMaintenance;
import dev.twoliter.engine.update.tuf.TufRole;
import dev.twoliter.engine.update.tuf.TufSigningKey;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * Rotates the update repository's keys through a new root (version N+1), signed by the current
 * root's keys and the new root keys; roles given new keys here get them (threshold: all keys
 * given), the others keep theirs. Then targets, snapshot and timestamp are re-signed under the new
 * root. Machines and publishers keep their trusted root: TUF clients walk from it to the newest.
 */
@Mojo(name = "rotate-update-root", threadSafe = true)
public class RotateUpdateRootMojo extends UpdateRepositoryParameters {
    /** The current root key(s), comma-separated PEM files: enough to meet the current root's threshold. */
    @Parameter(property = "twoliter.update.oldRootKey")
    String oldRootKey;

    /** The new root key(s). */
    @Parameter(property = "twoliter.update.newRootKey")
    String newRootKey;

    /** New targets key(s), if the targets role changes keys. */
    @Parameter(property = "twoliter.update.newTargetsKey")
    String newTargetsKey;

    /** New snapshot key(s), if the snapshot role changes keys. */
    @Parameter(property = "twoliter.update.newSnapshotKey")
    String newSnapshotKey;

    /** New timestamp key(s), if the timestamp role changes keys. */
    @Parameter(property = "twoliter.update.newTimestampKey")
    String newTimestampKey;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        forEachArch("update-rotate", (module, target, targets, work) -> {
            Optional<char[]> secret = passphrase();
            List<TufSigningKey> oldRoot = keys(oldRootKey, "twoliter.update.oldRootKey", module, secret);
            List<TufSigningKey> newRoot = keys(newRootKey, "twoliter.update.newRootKey", module, secret);
            Map<TufRole, List<TufSigningKey>> changed = new EnumMap<>(TufRole.class);
            optional(changed, TufRole.TARGETS, newTargetsKey, "twoliter.update.newTargetsKey", module, secret);
            optional(changed, TufRole.SNAPSHOT, newSnapshotKey, "twoliter.update.newSnapshotKey", module, secret);
            optional(changed, TufRole.TIMESTAMP, newTimestampKey, "twoliter.update.newTimestampKey", module, secret);
            List<String> written = RepositoryMaintenance.rotateRoot(new RepositoryMaintenance.Request(layout(target),
                    trustedRoot(module), roleKeys(module), expirations(), Instant.now(), work,
                    new MavenBuildLog(getLog())), oldRoot, newRoot, changed, store());
            getLog().info(module + ": rotated the update repository's root: " + String.join(", ", written));
        });
    }

    private void optional(Map<TufRole, List<TufSigningKey>> changed, TufRole role, String files, String setting,
            String module, Optional<char[]> secret) throws TwoliterException {
        if (files != null && !files.isBlank()) {
            changed.put(role, keys(files, setting, module, secret));
        }
    }
}
