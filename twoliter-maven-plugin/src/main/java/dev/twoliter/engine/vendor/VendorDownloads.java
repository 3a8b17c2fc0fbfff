package dev.twoliter.engine.vendor;

import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.Terms;
import dev.twoliter.engine.io.Temporaries;
import dev.twoliter.engine.net.Credentials;
import dev.twoliter.engine.net.DownloadException;
import dev.twoliter.engine.net.Downloaded;
import dev.twoliter.engine.net.FileDownload;
import dev.twoliter.engine.net.HttpDownload;
import dev.twoliter.engine.net.NetworkLimits;
import dev.twoliter.engine.net.ServerCredentials;
import dev.twoliter.engine.net.SizeBound;
import dev.twoliter.engine.net.Urls;
import dev.twoliter.engine.source.HttpProxy;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Bounded transfers from a Go module proxy or a Cargo registry: the plugin's timeouts and size limit,
 * the user's HTTP proxy, and server credentials sent only to the endpoint's own origin (a registry
 * whose downloads live on another host gets none there).
 */
public final class VendorDownloads {
    private final NetworkLimits limits;
    private final ServerCredentials servers;
    private final HttpDownload http;
    private final Terms terms;

    public VendorDownloads(NetworkLimits limits, HttpProxy proxy, Map<String, Credentials> servers, Terms terms,
            BuildLog log) {
        this.limits = limits;
        this.servers = new ServerCredentials(servers, terms.setting(Terms.Setting.SERVER));
        this.http = new HttpDownload(limits, proxy == null ? null : proxy.selector(),
                proxy == null ? null : proxy.authenticator(), log);
        this.terms = terms;
    }

    /** The endpoint does not have the file (HTTP 404 or 410, or no such local file). */
    static final class Missing extends VendorException {
        Missing(String message) {
            super(message);
        }
    }

    NetworkLimits limits() {
        return limits;
    }

    /** Checks the endpoint's server id before the first request, so that a typo fails clearly. */
    void checkServer(VendorEndpoint endpoint, String owner) throws VendorException {
        if (endpoint.serverId() != null && !servers.has(endpoint.serverId())) {
            throw new VendorException(owner + ": " + endpoint.setting() + " names server '" + endpoint.serverId()
                    + "', but " + terms.setting(Terms.Setting.SERVER_CREDENTIALS) + " has no entry with that id.");
        }
    }

    /**
     * Downloads {@code url} into {@code into} within {@code maxBytes} (and the configured limit);
     * {@code into} is replaced only by a complete transfer.
     */
    Downloaded fetch(VendorEndpoint endpoint, URI url, long maxBytes, Path into)
            throws VendorException, IOException {
        Files.createDirectories(into.getParent());
        Path temp = Temporaries.newFile(into.getParent(), "vendor");
        try {
            long bound = Math.min(maxBytes, limits.maxDownloadBytes());
            SizeBound size = new SizeBound(bound, false, bound == limits.maxDownloadBytes()
                    ? limits.describeMaxDownload() : NetworkLimits.bytes(bound), "size");
            Downloaded downloaded;
            if (Urls.scheme(url).equals("file")) {
                downloaded = FileDownload.copy(url, size, temp);
            } else {
                boolean sameOrigin = Urls.origin(url).equals(Urls.origin(endpoint.url()));
                Optional<ServerCredentials.Choice> credentials = sameOrigin
                        ? servers.forUrl(url, endpoint.serverId()) : Optional.empty();
                downloaded = http.download(url, credentials.map(ServerCredentials.Choice::credentials).orElse(null),
                        size, temp);
            }
            Files.move(temp, into, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return downloaded;
        } catch (DownloadException e) {
            if (e.status() == 404 || e.status() == 410 || e.getMessage().endsWith(": no such file")) {
                throw new Missing(e.getMessage());
            }
            String hint = e.status() == 401 || e.status() == 403
                    ? "; check the credentials of " + terms.setting(Terms.Setting.SERVER_CREDENTIALS) + " for "
                            + endpoint.setting()
                    : "";
            throw new VendorException(e.getMessage() + hint);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
