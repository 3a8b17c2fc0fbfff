package dev.twoliter.engine.kit;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * All kits a module needs: its own kit dependencies and, breadth-first, the kits their manifests
 * depend on. Enforces the one-version rule that Maven's nearest-wins mediation would silently
 * break: a kit present in two versions anywhere in the graph fails the build with both paths.
 */
public final class KitGraph {
    private KitGraph() {}

    public static List<ResolvedKit> resolve(String module, List<KitRoot> roots, KitSource source)
            throws KitException, IOException {
        return resolve(module, roots, source, ManifestVerifier.NONE);
    }

    /** Resolves the graph, checking each manifest's signature with {@code verifier} before reading it. */
    public static List<ResolvedKit> resolve(String module, List<KitRoot> roots, KitSource source,
            ManifestVerifier verifier) throws KitException, IOException {
        failOnTwoVersions(module, roots);
        Map<String, ResolvedKit> resolved = new LinkedHashMap<>();
        Deque<KitRoot> queue = new ArrayDeque<>(roots);
        while (!queue.isEmpty()) {
            KitRoot next = queue.removeFirst();
            ResolvedKit known = resolved.get(next.coordinates().key());
            if (known != null) {
                if (!known.coordinates().version().equals(next.coordinates().version())) {
                    throw conflict(module, next.coordinates().key(), known.coordinates().version(), known.path(),
                            next.coordinates().version(), next.path());
                }
                continue;
            }
            ResolvedKit kit = load(next, source, verifier);
            resolved.put(next.coordinates().key(), kit);
            for (KitCoordinates dependency : kit.manifest().kitDependencies()) {
                List<String> path = new ArrayList<>(next.path());
                path.add(dependency.toString());
                queue.addLast(new KitRoot(dependency, List.copyOf(path)));
            }
        }
        return List.copyOf(resolved.values());
    }

    private static void failOnTwoVersions(String module, List<KitRoot> roots) throws KitException {
        Map<String, KitRoot> first = new LinkedHashMap<>();
        for (KitRoot root : roots) {
            KitRoot other = first.putIfAbsent(root.coordinates().key(), root);
            if (other != null && !other.coordinates().version().equals(root.coordinates().version())) {
                throw conflict(module, root.coordinates().key(), other.coordinates().version(), other.path(),
                        root.coordinates().version(), root.path());
            }
        }
    }

    private static ResolvedKit load(KitRoot root, KitSource source, ManifestVerifier verifier)
            throws KitException, IOException {
        Path file = source.manifest(root.coordinates());
        KitManifest.Read read;
        KitSignature signature;
        try {
            // Parsed from the bytes whose signature was checked, never read again.
            byte[] bytes = KitManifest.readBytes(file, root.coordinates().toString());
            signature = verifier.verify(root.coordinates(), bytes, source);
            read = KitManifest.parse(bytes, file, root.coordinates().toString());
            if (!read.manifest().coordinates().equals(root.coordinates())) {
                throw new KitException("kit " + root.coordinates() + ": its manifest " + file + " describes "
                        + read.manifest().coordinates() + " instead.");
            }
        } catch (KitException e) {
            // A refused manifest is not kept: the next build asks the repository again.
            source.discardManifest(root.coordinates());
            throw e;
        }
        KitManifest manifest = read.manifest();
        // The digest of the bytes parsed, so the lock check is about the manifest this build uses.
        return new ResolvedKit(root.coordinates(), file, read.sha256(), manifest, root.path(), signature);
    }

    private static KitException conflict(String module, String key, String versionA, List<String> pathA,
            String versionB, List<String> pathB) {
        return new KitException(module + " needs two versions of kit " + key + "; a build may use only one:\n  "
                + versionA + " via " + String.join(" -> ", pathA) + "\n  " + versionB + " via "
                + String.join(" -> ", pathB) + "\nAlign the dependencies so that both paths reach the same version.");
    }
}
