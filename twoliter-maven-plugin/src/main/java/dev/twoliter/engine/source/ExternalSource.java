package dev.twoliter.engine.source;

import java.net.URI;

/**
 * A source file that is not kept next to the spec but fetched by digest: first from the lookaside
 * mirrors, then from {@code url} itself.
 *
 * @param fileName name the file gets in the build's SOURCES (default: last segment of the URL)
 * @param forceUpstream fetch from {@code url} even when the upstream fallback is switched off
 */
public record ExternalSource(String url, String sha512, String fileName, boolean forceUpstream) {

    public static ExternalSource of(String url, String sha512, String fileName, boolean forceUpstream) {
        String name = fileName == null || fileName.isBlank() ? lastSegment(url) : fileName.trim();
        return new ExternalSource(url, sha512 == null ? null : sha512.trim().toLowerCase(java.util.Locale.ROOT), name,
                forceUpstream);
    }

    private static String lastSegment(String url) {
        if (url == null) {
            return null;
        }
        String path = URI.create(url.trim()).getPath();
        return path == null ? null : path.substring(path.lastIndexOf('/') + 1);
    }
}
