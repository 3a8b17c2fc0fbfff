package dev.twoliter.engine.update;

import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.io.AtomicFiles;
import dev.twoliter.engine.update.tuf.TargetFile;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Uploads a publication in the order that keeps the repository consistent for its readers at every
 * moment: the targets first (new names, which nothing refers to yet), then the metadata from root to
 * snapshot, and {@code timestamp.json} last, the one file a client starts from. A publication that
 * stops half way leaves files nobody refers to, never metadata that names a missing file.
 */
final class UpdateUpload {
    private UpdateUpload() {}

    static PublishUpdateResult upload(PublishUpdateRequest request, UpdateRepositoryStore store, StagedTargets staged,
            Map<String, byte[]> metadata, boolean newRepository, int targetsVersion) throws TwoliterException {
        UpdateRepositoryLayout layout = request.layout();
        long bytes = 0;
        List<PublishUpdateResult.Target> targets = new ArrayList<>();
        for (Map.Entry<String, Path> e : staged.files().entrySet()) {
            TargetFile target = staged.targets().get(e.getKey());
            String sha256 = target.hashes().get("sha256");
            String storedAs = UpdateTargetNames.storedAs(e.getKey(), sha256);
            // A client may ask for a target by any hash the metadata lists.
            for (String name : target.fileNames(e.getKey())) {
                request.log().info("Uploading " + layout.targetPath(name) + " (" + target.length() + " bytes)");
                store.put(layout.targetPath(name), e.getValue());
                bytes += target.length();
            }
            targets.add(new PublishUpdateResult.Target(staged.roles().get(e.getKey()), e.getKey(), storedAs,
                    target.length(), sha256));
        }
        List<String> written = metadata(store, layout, request.workDir(), metadata);
        for (Map.Entry<String, byte[]> e : metadata.entrySet()) {
            bytes += e.getValue().length;
        }
        return new PublishUpdateResult(targets, written, bytes, targetsVersion, newRepository);
    }

    /** Uploads metadata files in the order given (the timestamp last); returns their paths. */
    static List<String> metadata(UpdateRepositoryStore store, UpdateRepositoryLayout layout, Path workDir,
            Map<String, byte[]> metadata) throws TwoliterException {
        List<String> written = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : metadata.entrySet()) {
            Path file = workDir.resolve("metadata-" + e.getKey());
            try {
                AtomicFiles.write(file, e.getValue());
            } catch (IOException ex) {
                throw new TwoliterException("Could not stage " + e.getKey() + " in " + workDir + ": "
                        + ex.getMessage(), ex);
            }
            String path = layout.metadataPath(e.getKey());
            store.put(path, file);
            written.add(path);
        }
        return written;
    }
}
