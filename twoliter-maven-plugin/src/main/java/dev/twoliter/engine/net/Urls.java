package dev.twoliter.engine.net;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;

/**
 * URLs as the plugin shows and uses them. Every URL that reaches a log line, an exception message
 * or a returned value goes through {@link #redact(String)} first, because users do put passwords
 * into URLs and build logs are widely shared.
 */
public final class Urls {
    private static final String HIDDEN = "***";

    private Urls() {}

    /**
     * The URL with any user info ({@code user:password@} or {@code user@}) replaced by
     * {@code ***@}. Never throws. Everything from the start of the authority to the last
     * {@code @} is hidden, wherever that {@code @} is: a password with an unescaped {@code /},
     * {@code ?}, {@code #} or {@code @} moves the end of the user info into what a parser takes for
     * the path or query, and no parser can tell. This may hide part of a path that has an
     * {@code @} (rare in source URLs), never a password.
     */
    public static String redact(String url) {
        if (url == null) {
            return "(none)";
        }
        int at = url.lastIndexOf('@');
        if (at < 0 || isLocalFile(url)) {
            return url;
        }
        int slashes = url.indexOf("//");
        int start = slashes >= 0 && slashes < at ? slashes + 2 : 0;
        return url.substring(0, start) + HIDDEN + url.substring(at);
    }

    /** A file: URL without an authority: a local path, which may hold an @ but no credentials. */
    private static boolean isLocalFile(String url) {
        String lower = url.toLowerCase(Locale.ROOT);
        return lower.startsWith("file:") && (!lower.startsWith("file://") || lower.startsWith("file:///"));
    }

    /** The user info of a URL as credentials (percent-escapes decoded), if it has any. */
    public static Optional<Credentials> userInfo(URI uri) {
        String info = uri == null ? null : uri.getUserInfo();
        if (info == null || info.isEmpty()) {
            return Optional.empty();
        }
        int colon = info.indexOf(':');
        return Optional.of(colon < 0 ? new Credentials(info, "")
                : new Credentials(info.substring(0, colon), info.substring(colon + 1)));
    }

    /**
     * The URL a request goes to: no user info (credentials travel in a header, never in a request
     * line, a proxy log or a Referer) and no fragment (never sent to servers).
     */
    public static URI withoutUserInfo(URI uri) {
        if (uri.getRawUserInfo() == null && uri.getRawFragment() == null) {
            return uri;
        }
        StringBuilder s = new StringBuilder(uri.getScheme()).append("://").append(uri.getHost());
        if (uri.getPort() >= 0) {
            s.append(':').append(uri.getPort());
        }
        s.append(uri.getRawPath() == null ? "" : uri.getRawPath());
        if (uri.getRawQuery() != null) {
            s.append('?').append(uri.getRawQuery());
        }
        return URI.create(s.toString());
    }

    /** The port a URL reaches: the explicit one or its scheme's default. */
    public static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    /** Scheme, host and port: the party that receives what is sent to this URL. */
    public static String origin(URI uri) {
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        String host = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
        return scheme + "://" + host + ":" + port(uri);
    }

    /** The scheme in lower case, or "" if there is none. */
    public static String scheme(URI uri) {
        return uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    }

    /**
     * Percent-encodes one path segment (a file name) so that it stays one segment: everything but
     * RFC 3986 unreserved characters and the sub-delimiters servers take literally is escaped.
     */
    public static String encodeSegment(String segment) {
        StringBuilder out = new StringBuilder();
        for (byte b : segment.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            boolean literal = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
                    || "-._~!$&'()*+,;=:@".indexOf(c) >= 0;
            if (literal) {
                out.append((char) c);
            } else {
                out.append('%').append(String.format(Locale.ROOT, "%02X", c));
            }
        }
        return out.toString();
    }
}
