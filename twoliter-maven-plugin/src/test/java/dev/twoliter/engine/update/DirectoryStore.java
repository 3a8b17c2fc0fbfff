package dev.twoliter.engine.update;

import dev.twoliter.engine.TwoliterException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/** An update repository in a directory, recording what was downloaded and uploaded, for engine tests. */
final class DirectoryStore implements UpdateRepositoryStore {
    final Path root;
    final List<String> uploads = new ArrayList<>();
    final List<String> downloads = new ArrayList<>();

    DirectoryStore(Path root) {
        this.root = root;
    }

    @Override
    public String location() {
        return root.toString();
    }

    @Override
    public boolean fetch(String path, long maxBytes, Path target) throws TwoliterException {
        Path file = root.resolve(path);
        downloads.add(path);
        try {
            if (!Files.isRegularFile(file)) {
                return false;
            }
            if (Files.size(file) > maxBytes) {
                throw new TwoliterException(path + " is larger than " + maxBytes + " bytes");
            }
            Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
            return true;
        } catch (IOException e) {
            throw new TwoliterException(e.toString(), e);
        }
    }

    @Override
    public void put(String path, Path file) throws TwoliterException {
        try {
            Path to = root.resolve(path);
            Files.createDirectories(to.getParent());
            Files.copy(file, to, StandardCopyOption.REPLACE_EXISTING);
            uploads.add(path);
        } catch (IOException e) {
            throw new TwoliterException(e.toString(), e);
        }
    }
}
