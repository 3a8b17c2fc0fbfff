package dev.twoliter.maven;

import dev.twoliter.engine.vendor.VendorEndpoint;
import dev.twoliter.engine.vendor.VendorException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.Optional;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.settings.Mirror;

/**
 * Where Go modules and Cargo crates come from, in Maven's terms: a URL in the POM (or -D), replaced
 * by a settings.xml {@code <mirror>} whose {@code <mirrorOf>} names the endpoint's id, with the
 * credentials of the {@code <server>} of the mirror's id or of the endpoint's id. Wildcard mirrors
 * ({@code *}, {@code external:*}) are for Maven repositories and are not applied here: a corporate
 * Maven mirror is no Go module proxy.
 */
final class VendorParameters {
    private VendorParameters() {}

    static Optional<VendorEndpoint> endpoint(MavenSession session, String url, String id, String setting)
            throws VendorException {
        String chosen = url == null || url.isBlank() ? null : url.trim();
        String serverId = id != null && hasServer(session, id) ? id : null;
        Mirror mirror = mirrorFor(session, id);
        if (mirror != null && mirror.getUrl() != null && !mirror.getUrl().isBlank()) {
            chosen = mirror.getUrl().trim();
            serverId = hasServer(session, mirror.getId()) ? mirror.getId() : serverId;
            setting = setting + " (settings.xml mirror '" + mirror.getId() + "')";
        }
        if (chosen == null) {
            return Optional.empty();
        }
        URI uri;
        try {
            uri = new URI(chosen);
        } catch (URISyntaxException e) {
            throw new VendorException(setting + " is not a valid URL: " + e.getReason() + ".");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
        boolean ok = scheme.equals("file") || (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
        if (!ok || uri.getQuery() != null || uri.getFragment() != null) {
            throw new VendorException(setting + " must be an http, https or file URL with a host and no query,"
                    + " found " + dev.twoliter.engine.net.Urls.redact(chosen) + ".");
        }
        return Optional.of(new VendorEndpoint(uri, serverId, setting));
    }

    private static Mirror mirrorFor(MavenSession session, String id) {
        if (id == null || session.getSettings() == null) {
            return null;
        }
        for (Mirror mirror : session.getSettings().getMirrors()) {
            String of = mirror.getMirrorOf() == null ? "" : mirror.getMirrorOf();
            if (Arrays.stream(of.split(",")).map(String::trim).anyMatch(id::equals)) {
                return mirror;
            }
        }
        return null;
    }

    private static boolean hasServer(MavenSession session, String id) {
        return session.getSettings() != null && session.getSettings().getServer(id) != null;
    }
}
