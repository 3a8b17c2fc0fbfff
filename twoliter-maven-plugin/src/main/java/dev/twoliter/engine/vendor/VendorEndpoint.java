package dev.twoliter.engine.vendor;

import dev.twoliter.engine.net.Urls;
import java.net.URI;

/**
 * Where one kind of dependency is fetched from: a Go module proxy or a Cargo registry (its sparse
 * index, whose {@code config.json} names the download location), already mapped through the user's
 * mirrors.
 *
 * @param url the proxy's or index's base URL (http, https or file), without a trailing slash
 * @param serverId the server entry whose credentials go with requests to {@code url}'s origin, or
 *     null to choose them by host
 * @param setting how the user sets this endpoint, for messages
 */
public record VendorEndpoint(URI url, String serverId, String setting) {
    public VendorEndpoint {
        String text = url.toString();
        if (text.endsWith("/")) {
            url = URI.create(text.substring(0, text.length() - 1));
        }
    }

    /** {@code url/relative}; the relative part is already escaped for a URL. */
    URI resolve(String relative) {
        return URI.create(url + "/" + relative);
    }

    /** The URL without credentials, for messages. */
    String shown() {
        return Urls.redact(url.toString());
    }
}
