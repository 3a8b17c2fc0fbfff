package dev.twoliter.engine.cache;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A remote cache in a directory, for tests: what a server would hold, open to tampering. */
final class DirectoryRemoteCache implements RemoteCache {
    final Path root;
    final List<String> stored = new ArrayList<>();
    boolean unreachable;

    DirectoryRemoteCache(Path root) {
        this.root = root;
    }

    Path entry(CacheKey key) {
        return root.resolve(key.module().replace(':', '/')).resolve(key.digest()).resolve("entry.toml");
    }

    Path file(CacheKey key, int index) {
        return entry(key).resolveSibling("output-" + index + ".bin");
    }

    @Override
    public String location() {
        return "dir:" + root.getFileName();
    }

    @Override
    public boolean fetchEntry(CacheKey key, long maxBytes, Path target) throws RemoteCacheException {
        return fetchIfPresent(entry(key), maxBytes, target);
    }

    Path signature(CacheKey key) {
        return entry(key).resolveSibling("entry.toml.sig");
    }

    @Override
    public boolean fetchSignature(CacheKey key, long maxBytes, Path target) throws RemoteCacheException {
        return fetchIfPresent(signature(key), maxBytes, target);
    }

    private boolean fetchIfPresent(Path file, long maxBytes, Path target) throws RemoteCacheException {
        failIfUnreachable();
        if (!Files.exists(file)) {
            return false;
        }
        copy(file, target, maxBytes);
        return true;
    }

    @Override
    public void fetchFile(CacheKey key, int index, long maxBytes, Path target) throws RemoteCacheException {
        failIfUnreachable();
        if (!Files.exists(file(key, index))) {
            throw new RemoteCacheException("no such file");
        }
        copy(file(key, index), target, maxBytes);
    }

    @Override
    public void store(CacheKey key, List<Path> files, Optional<Path> signature, Path entry) throws RemoteCacheException {
        failIfUnreachable();
        try {
            Files.createDirectories(entry(key).getParent());
            for (int i = 0; i < files.size(); i++) {
                Files.copy(files.get(i), file(key, i), StandardCopyOption.REPLACE_EXISTING);
            }
            if (signature.isPresent()) {
                Files.copy(signature.get(), signature(key), StandardCopyOption.REPLACE_EXISTING);
            } else {
                Files.deleteIfExists(signature(key));
            }
            Files.copy(entry, entry(key), StandardCopyOption.REPLACE_EXISTING);
            stored.add(key.module());
        } catch (IOException e) {
            throw new RemoteCacheException(e.toString());
        }
    }

    private void copy(Path from, Path to, long maxBytes) throws RemoteCacheException {
        try {
            if (Files.size(from) > maxBytes) {
                throw RemoteCacheException.fileTooLarge("it sent more than " + maxBytes + " bytes");
            }
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new RemoteCacheException(e.toString());
        }
    }

    private void failIfUnreachable() throws RemoteCacheException {
        if (unreachable) {
            throw new RemoteCacheException("connection refused");
        }
    }
}
