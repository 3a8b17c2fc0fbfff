package dev.twoliter.engine.source;

import dev.twoliter.engine.net.Urls;
import java.net.URI;
import java.net.URISyntaxException;

/**
 * A source file that is not kept next to the spec but fetched by digest: first from the lookaside
 * mirrors, then from {@code url} itself.
 *
 * @param fileName name the file gets in the build's SOURCES (default: last segment of the URL)
 * @param forceUpstream fetch from {@code url} even when the upstream fallback is switched off
 * @param size the file's length in bytes, or null if not declared; a declared size bounds the
 *     download exactly, else the configured download limit bounds it
 * @param serverId the settings.xml {@code <server>} whose credentials go with {@code url}, or null
 *     to choose by host
 */
public record ExternalSource(String url, String sha512, String fileName, boolean forceUpstream, Long size,
        String serverId) {

    public static ExternalSource of(String url, String sha512, String fileName, boolean forceUpstream, Long size,
            String serverId) {
        String name = fileName == null || fileName.isBlank() ? lastSegment(url) : fileName.trim();
        String server = serverId == null || serverId.isBlank() ? null : serverId.trim();
        return new ExternalSource(url, sha512 == null ? null : sha512.trim().toLowerCase(java.util.Locale.ROOT), name,
                forceUpstream, size, server);
    }

    /** Without size and server id. */
    public static ExternalSource of(String url, String sha512, String fileName, boolean forceUpstream) {
        return of(url, sha512, fileName, forceUpstream, null, null);
    }

    /** Records print their fields; the URL may carry a password. */
    @Override
    public String toString() {
        return "ExternalSource[url=" + Urls.redact(url) + ", sha512=" + sha512 + ", fileName=" + fileName
                + ", forceUpstream=" + forceUpstream + ", size=" + size + ", serverId=" + serverId + "]";
    }

    /** Null when the URL is malformed; validation then reports the URL, which is the real problem. */
    private static String lastSegment(String url) {
        if (url == null) {
            return null;
        }
        try {
            String path = new URI(url.trim()).getPath();
            return path == null ? null : path.substring(path.lastIndexOf('/') + 1);
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
