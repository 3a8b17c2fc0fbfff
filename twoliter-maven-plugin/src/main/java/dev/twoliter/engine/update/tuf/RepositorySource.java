package dev.twoliter.engine.update.tuf;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The transport to a repository, which the caller provides (HTTP, S3, a directory). Given a file
 * name such as "2.root.json", "timestamp.json" or "&lt;sha256&gt;.&lt;target&gt;", it returns a local copy,
 * or empty if the server has no such file. It should stop reading after {@code maxBytes}; the client
 * checks the size again. The returned file belongs to the source; the client only reads it.
 */
@FunctionalInterface
public interface RepositorySource {
    Optional<Path> fetch(String fileName, long maxBytes) throws TufException;
}
