package dev.twoliter.maven;

/**
 * One {@code <externalSource>} of an rpm module: a file fetched by digest rather than kept next
 * to the spec.
 */
public class ExternalSource {
    /** Upstream URL; its last path segment is the default file name. */
    String url;

    /** SHA-512 of the file, 128 hex digits. Required: nothing unverified reaches a build. */
    String sha512;

    /** Name of the file in the build's SOURCES directory. */
    String fileName;

    /** Fetch from {@link #url} even when the upstream fallback is off. */
    boolean forceUpstream;

    dev.twoliter.engine.source.ExternalSource toEngine() {
        return dev.twoliter.engine.source.ExternalSource.of(url, sha512, fileName, forceUpstream);
    }
}
