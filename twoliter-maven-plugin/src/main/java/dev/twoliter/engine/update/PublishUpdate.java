package dev.twoliter.engine.update;

import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.update.tuf.RepositoryEditor;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Publishes one version of a variant to its update repository: reads and verifies what is there,
 * stages the version's images and the new manifest, signs the next metadata, and uploads it all
 * with the timestamp last.
 */
public final class PublishUpdate {
    private PublishUpdate() {}

    public static PublishUpdateResult run(PublishUpdateRequest request, UpdateRepositoryStore store)
            throws TwoliterException {
        CurrentRepository current = CurrentRepository.read(request, store);
        StagedTargets staged = StagedTargets.stage(request, current, store);
        Map<String, byte[]> metadata = signNextMetadata(request, current, staged);
        int targetsVersion = current.trusted().map(t -> t.targets().version() + 1).orElse(1);
        return UpdateUpload.upload(request, store, staged, metadata, current.trusted().isEmpty(), targetsVersion);
    }

    /**
     * The next metadata, in upload order. A new repository starts from the owner's root file as it
     * is: it was signed offline, and this build has no root key to sign another.
     */
    private static Map<String, byte[]> signNextMetadata(PublishUpdateRequest request, CurrentRepository current,
            StagedTargets staged) throws TwoliterException {
        Map<String, byte[]> signed = RepositoryEditor.publish(current.trusted(), current.trustedRoot(),
                staged.targets(), Set.of(UpdateManifest.TARGET_NAME), request.keys(), request.expirations(),
                request.now());
        Map<String, byte[]> ordered = new LinkedHashMap<>();
        if (current.trusted().isEmpty()) {
            ordered.put(current.trustedRoot().version() + ".root.json", current.trustedRootBytes());
        }
        signed.forEach((name, bytes) -> {
            if (!name.endsWith(".root.json")) {
                ordered.put(name, bytes);
            }
        });
        return ordered;
    }
}
