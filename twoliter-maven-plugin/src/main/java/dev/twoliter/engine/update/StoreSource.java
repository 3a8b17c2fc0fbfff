package dev.twoliter.engine.update;

import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.io.Temporaries;
import dev.twoliter.engine.update.tuf.RepositorySource;
import dev.twoliter.engine.update.tuf.TufException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * What the TUF client reads, from an update repository's store: metadata from the variant's
 * directory or targets from the shared one, each into a new file of the work directory.
 */
final class StoreSource implements RepositorySource {
    private final UpdateRepositoryStore store;
    private final UpdateRepositoryLayout layout;
    private final boolean targets;
    private final Path workDir;

    private StoreSource(UpdateRepositoryStore store, UpdateRepositoryLayout layout, boolean targets, Path workDir) {
        this.store = store;
        this.layout = layout;
        this.targets = targets;
        this.workDir = workDir;
    }

    static StoreSource metadata(UpdateRepositoryStore store, UpdateRepositoryLayout layout, Path workDir) {
        return new StoreSource(store, layout, false, workDir);
    }

    static StoreSource targets(UpdateRepositoryStore store, UpdateRepositoryLayout layout, Path workDir) {
        return new StoreSource(store, layout, true, workDir);
    }

    @Override
    public Optional<Path> fetch(String fileName, long maxBytes) throws TufException {
        try {
            String path = targets ? layout.targetPath(fileName) : layout.metadataPath(fileName);
            Path file = Temporaries.newFile(workDir, "fetched-");
            if (store.fetch(path, maxBytes, file)) {
                return Optional.of(file);
            }
            Files.deleteIfExists(file);
            return Optional.empty();
        } catch (TufException e) {
            throw e;
        } catch (TwoliterException e) {
            throw new TufException(e.getMessage(), e);
        } catch (IOException e) {
            throw new TufException("Could not create a file in " + workDir + " for " + fileName + ": " + e, e);
        }
    }
}
