package dev.twoliter.engine.sbom;

import dev.twoliter.engine.net.Urls;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which URL texts from RPM headers and source records the SBOMs carry. Packagers write anything in
 * a URL tag; a text that is not an absolute http, https or ftp URL with a host is left out rather
 * than written into fields both formats define as URIs. Credentials in the user-info part and
 * fragments are dropped: an SBOM is published, and a source URL may have been given with a password.
 */
final class SbomUrls {
    private static final Set<String> SCHEMES = Set.of("http", "https", "ftp");

    private SbomUrls() {}

    static Optional<String> usable(Optional<String> text) {
        return text.flatMap(SbomUrls::usable);
    }

    static Optional<String> usable(String text) {
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
        if (uri.getScheme() == null || !SCHEMES.contains(uri.getScheme().toLowerCase(Locale.ROOT))
                || uri.getHost() == null || uri.isOpaque()) {
            return Optional.empty();
        }
        // ASCII only: SPDX's downloadLocation and homepage are URIs, not IRIs.
        return Optional.of(Urls.withoutUserInfo(uri).toASCIIString());
    }
}
