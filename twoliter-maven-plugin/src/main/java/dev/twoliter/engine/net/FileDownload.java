package dev.twoliter.engine.net;

import dev.twoliter.engine.io.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Copies a {@code file:} URL (a mirror on a shared file system, or another cache) into a file,
 * under the same size bound as downloads: a mirror is not trusted more because it is local.
 */
public final class FileDownload {
    private FileDownload() {}

    public static Downloaded copy(URI url, SizeBound bound, Path into) throws DownloadException, IOException {
        String at = Urls.redact(url.toString());
        Path source;
        try {
            source = Path.of(url);
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            throw new DownloadException(at + ": not a local file URL (" + BodyToFile.describe(e) + ")");
        }
        if (!Files.exists(source)) {
            throw new DownloadException(at + ": no such file");
        }
        if (!Files.isRegularFile(source)) {
            throw new DownloadException(at + ": not a regular file");
        }
        String problem = bound.checkAnnounced(Files.size(source), "the file has");
        if (problem != null) {
            throw new DownloadException(at + ": " + problem);
        }
        MessageDigest digest = Digests.newDigest("SHA-512");
        long copied = 0;
        // The file may still grow while we read it (a mirror being written): count, not trust the size.
        try (InputStream in = Files.newInputStream(source);
                OutputStream out = Files.newOutputStream(into, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                if (copied + n > bound.maxBytes()) {
                    throw new DownloadException(at + ": " + bound.tooMuchArrived());
                }
                digest.update(buffer, 0, n);
                out.write(buffer, 0, n);
                copied += n;
            }
        } catch (NoSuchFileException e) {
            if (!source.toString().equals(e.getFile())) {
                throw e;
            }
            throw new DownloadException(at + ": no such file");
        }
        String sizeProblem = bound.checkFinal(copied);
        if (sizeProblem != null) {
            throw new DownloadException(at + ": " + sizeProblem);
        }
        return new Downloaded(copied, HexFormat.of().formatHex(digest.digest()));
    }
}
