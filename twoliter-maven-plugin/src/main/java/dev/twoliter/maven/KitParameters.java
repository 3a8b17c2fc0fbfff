package dev.twoliter.maven;

import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.kit.KitCoordinates;
import dev.twoliter.engine.kit.ManifestVerifier;
import dev.twoliter.engine.kit.KitSignatureVerifier;
import dev.twoliter.engine.signing.TrustedKitKeys;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/** How the goals that use kits decide whether to trust them: the vendors' keys and the signature policy. */
abstract class KitParameters extends NetworkParameters {
    /**
     * The vendor keys trusted for kits: each trustedKitKey has a groupId and a keyFile, an OpenPGP
     * public key file relative to the project root (where twoliter.lock is). A groupId ending in
     * {@code .*} covers the groupIds under it. See docs/signing.md.
     */
    @Parameter
    List<TrustedKitKey> trustedKitKeys;

    /**
     * What a kit whose signature cannot be verified does to the build: {@code required} fails it,
     * {@code warn} logs a warning, {@code off} checks nothing; {@code default} is required for the
     * groupIds that have a trusted key and warn for the others.
     */
    @Parameter(property = "twoliter.kitSignatures", defaultValue = "default")
    String kitSignatures;

    /** The check every kit manifest from a repository passes before it is read. */
    ManifestVerifier kitVerifier(MavenSession session, MavenProject project, Set<String> ownKits, BuildLog log)
            throws TwoliterException {
        KitSignatureVerifier.Policy policy = KitSignatureVerifier.Policy.parse(kitSignatures, MavenTerms.INSTANCE);
        Path root = MavenKits.lockFile(project).getParent();
        List<TrustedKitKeys.Entry> entries = new ArrayList<>();
        if (trustedKitKeys != null) {
            for (TrustedKitKey key : trustedKitKeys) {
                entries.add(new TrustedKitKeys.Entry(key.groupId, key.keyFile == null ? null
                        : root.resolve(key.keyFile).normalize()));
            }
        }
        TrustedKitKeys trusted = TrustedKitKeys.load(entries, "<trustedKitKeys>");
        // One warning per kit and build, however many modules use the kit.
        String key = KitSignatureVerifier.class.getName() + ".warned";
        org.eclipse.aether.SessionData data = session.getRepositorySession().getData();
        data.set(key, null, ConcurrentHashMap.newKeySet()); // only if absent: a compare-and-set from null
        @SuppressWarnings("unchecked")
        Set<String> warned = (Set<String>) data.get(key);
        return new KitSignatureVerifier(trusted, policy, (KitCoordinates c) -> ownKits.contains(c.toString()),
                Instant.now(), MavenTerms.INSTANCE, log, warned);
    }
}
