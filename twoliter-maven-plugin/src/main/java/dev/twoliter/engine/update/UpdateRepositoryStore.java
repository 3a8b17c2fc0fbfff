package dev.twoliter.engine.update;

import dev.twoliter.engine.TwoliterException;
import java.nio.file.Path;

/**
 * Where an update repository lives: any place files can be read from and written to by path (a
 * directory, a repository manager's raw repository, a WebDAV server). The transport, with its
 * credentials, proxies and timeouts, lives outside the engine.
 */
public interface UpdateRepositoryStore {
    /** Where the repository is, for messages (credentials removed). */
    String location();

    /**
     * Downloads {@code path} (relative to the repository's root, '/'-separated) into {@code target},
     * at most {@code maxBytes}.
     *
     * @return false if the repository has no such file
     * @throws TwoliterException if the repository could not be asked, the download failed or brought
     *     more than {@code maxBytes}
     */
    boolean fetch(String path, long maxBytes, Path target) throws TwoliterException;

    /** Uploads {@code file} as {@code path}, replacing what is there. */
    void put(String path, Path file) throws TwoliterException;
}
