package dev.twoliter.engine.kit;

import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.Terms;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** The kits a module builds against: resolved, checked against the lock, unpacked. */
public final class KitsInUse {
    private KitsInUse() {}

    /**
     * Resolves the kit graph and, if the project has a lock file, checks every kit that comes from a
     * repository against it ({@code ownKit} tells the project's own kit modules, which are built,
     * not locked).
     */
    public static List<ResolvedKit> graph(String module, List<KitRoot> roots, KitSource source, Path lockFile,
            Predicate<KitCoordinates> ownKit, List<String> arches, Terms terms, BuildLog log)
            throws KitException, IOException {
        return graph(module, roots, source, ManifestVerifier.NONE, lockFile, ownKit, arches, terms, log);
    }

    /**
     * As above, checking each manifest's signature with {@code verifier} before it is read, and the
     * payload of each of {@code arches} against the lock.
     */
    public static List<ResolvedKit> graph(String module, List<KitRoot> roots, KitSource source,
            ManifestVerifier verifier, Path lockFile, Predicate<KitCoordinates> ownKit, List<String> arches,
            Terms terms, BuildLog log) throws KitException, IOException {
        if (roots.isEmpty()) {
            return List.of();
        }
        List<ResolvedKit> kits = KitGraph.resolve(module, roots, source, verifier);
        List<ResolvedKit> external = kits.stream().filter(k -> !ownKit.test(k.coordinates())).toList();
        if (Files.isRegularFile(lockFile)) {
            LockFile lock = LockFile.read(lockFile, terms);
            for (String arch : arches) {
                lock.verify(external, arch, lockFile, terms);
            }
        } else if (!external.isEmpty()) {
            log.info(module + ": " + external.size() + " kit(s) from repositories, not pinned: there is no "
                    + lockFile + " (write one with " + terms.command(Terms.Command.UPDATE_LOCK) + ").");
        }
        return kits;
    }

    /** Fetches, verifies and unpacks (once, into the cache) each kit's payload for {@code arch}. */
    public static List<KitRepository> repositories(List<ResolvedKit> kits, KitSource source, KitCache cache,
            String arch, BuildLog log) throws KitException, IOException {
        List<KitRepository> repositories = new ArrayList<>();
        for (ResolvedKit kit : kits) {
            KitManifest.Payload payload = kit.manifest().payload(arch);
            boolean cached = cache.hasUnpacked(payload.sha256());
            long start = System.nanoTime();
            Path payloadFile = source.payload(kit.coordinates(), arch, payload.size());
            long fetched = System.nanoTime();
            Path directory;
            try {
                directory = cache.repository(kit.manifest(), arch, payloadFile, log);
            } catch (KitPayloadException e) {
                // The resolved file is bad (size, digest or content): the next build should fetch it again.
                source.discardPayload(kit.coordinates(), arch);
                throw e;
            }
            if (!cached) {
                log.info(String.format("kit %s: %s payload of %.1f MB resolved in %.2f s, verified and unpacked in"
                        + " %.2f s", kit.coordinates(), arch, payload.size() / 1e6, (fetched - start) / 1e9,
                        (System.nanoTime() - fetched) / 1e9));
            }
            repositories.add(new KitRepository(kit.coordinates(), directory, payload.sha256(), kit.manifest().sdk(),
                    kit.signature(), payload.rpms(), kit.manifest().closure()));
        }
        return repositories;
    }
}
