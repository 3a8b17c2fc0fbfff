package dev.twoliter.maven;

import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.kit.KitCoordinates;
import dev.twoliter.engine.kit.ManifestVerifier;
import dev.twoliter.engine.kit.KitSignatureVerifier;
import dev.twoliter.engine.signing.TrustedKitKeys;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/** How the goals that use kits decide whether to trust them: the vendors' keys and the signature policy. */
abstract class KitParameters extends NetworkParameters {
    /**
     * The vendor keys trusted for kits: each trustedKitKey has a groupId and either a keyFile, an
     * OpenPGP public key file relative to the project root (where twoliter.lock is), or a
     * keyArtifact (groupId:artifactId:version[:extension[:classifier]], extension asc by default)
     * with the fingerprint of the one key in it to trust; a fingerprint may pin a keyFile's key too.
     * A groupId ending in {@code .*} covers the groupIds under it. See docs/signing.md.
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

    /** A key file from the project, or a key artifact resolved like a kit, pinned by its fingerprint. */
    private static TrustedKitKeys.Entry entry(TrustedKitKey key, int index, Path root, MavenKits kits)
            throws TwoliterException {
        String at = "<trustedKitKeys>[" + index + "]";
        boolean file = key.keyFile != null && !key.keyFile.isBlank();
        boolean artifact = key.keyArtifact != null && !key.keyArtifact.isBlank();
        if (file == artifact) {
            throw new TwoliterException(at + " needs either a keyFile or a keyArtifact (with its fingerprint).");
        }
        Optional<String> fingerprint = Optional.ofNullable(key.fingerprint).filter(f -> !f.isBlank());
        if (artifact && fingerprint.isEmpty()) {
            throw new TwoliterException(at + " names the key artifact " + Syntax.show(key.keyArtifact) + " without a"
                    + " fingerprint:"
                    + " a key fetched from a repository is trusted only with the fingerprint you checked with its"
                    + " vendor (<fingerprint>).");
        }
        Path path = file ? root.resolve(key.keyFile).normalize() : kits.trustedKey(key.keyArtifact.trim());
        return new TrustedKitKeys.Entry(key.groupId, path, fingerprint);
    }

    /** The check every kit manifest from a repository passes before it is read. */
    ManifestVerifier kitVerifier(MavenSession session, MavenProject project, MavenKits kits, Set<String> ownKits,
            BuildLog log) throws TwoliterException {
        KitSignatureVerifier.Policy policy = KitSignatureVerifier.Policy.parse(kitSignatures, MavenTerms.INSTANCE);
        Path root = MavenKits.lockFile(project).getParent();
        List<TrustedKitKeys.Entry> entries = new ArrayList<>();
        if (trustedKitKeys != null) {
            for (int i = 0; i < trustedKitKeys.size(); i++) {
                entries.add(entry(trustedKitKeys.get(i), i, root, kits));
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
