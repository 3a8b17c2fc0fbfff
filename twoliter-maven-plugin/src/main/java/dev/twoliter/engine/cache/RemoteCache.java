package dev.twoliter.engine.cache;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A remote store of build outputs, by {@link CacheKey}: an entry is a list of files plus a
 * description ({@link CacheEntry}) that is published last, so a reader that finds the description
 * finds every file. The transport (a Maven repository through Maven Resolver, with the credentials,
 * mirrors and proxies of the user's settings) lives outside the engine.
 */
public interface RemoteCache {
    /** Where the cache is read from, for messages (credentials removed). */
    String location();

    /** Where entries are published (a mirror only ever serves reads). */
    default String publishLocation() {
        return location();
    }

    /**
     * Downloads an entry's description into {@code target}.
     *
     * @return false if the cache has no entry for the key
     * @throws RemoteCacheException if the cache could not be asked or the download failed
     */
    boolean fetchEntry(CacheKey key, long maxBytes, Path target) throws RemoteCacheException;

    /** Downloads the entry's file number {@code index} into {@code target}, at most {@code maxBytes}. */
    void fetchFile(CacheKey key, int index, long maxBytes, Path target) throws RemoteCacheException;

    /**
     * Downloads the detached OpenPGP signature of an entry's description into {@code target}.
     *
     * @return false if the entry has none
     */
    boolean fetchSignature(CacheKey key, long maxBytes, Path target) throws RemoteCacheException;

    /**
     * Publishes an entry: every file (numbered from 0 in list order) first, then the signature of
     * the description if there is one, the description last, so that a reader never sees a partial
     * entry.
     */
    void store(CacheKey key, List<Path> files, Optional<Path> signature, Path entry) throws RemoteCacheException;
}
