package dev.twoliter.engine.net;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Chooses the credentials for a URL from the servers the user configured (settings.xml
 * {@code <server>} entries by id). In order: an explicit server id; user info written into the URL
 * itself; the server whose id is the URL's {@code host:port}; the server whose id is its host.
 */
public final class ServerCredentials {
    private final String serverTerm;
    private final Map<String, Credentials> servers;

    /** @param serverTerm how the build tool names a server entry, for messages */
    public ServerCredentials(Map<String, Credentials> servers, String serverTerm) {
        this.serverTerm = serverTerm;
        Map<String, Credentials> copy = new java.util.HashMap<>();
        servers.forEach((id, credentials) -> {
            if (id != null && credentials != null) {
                copy.put(id, credentials);
            }
        });
        this.servers = Map.copyOf(copy);
    }

    /**
     * Credentials and where they come from, as a phrase for messages ("the credentials of
     * &lt;server&gt; 'corp'"; never the password).
     */
    public record Choice(Credentials credentials, String source, boolean inUrl) {}

    public boolean has(String serverId) {
        return servers.containsKey(serverId);
    }

    /**
     * @param serverId the id named explicitly for this URL, or null; must exist (check with
     *     {@link #has(String)} first)
     */
    public Optional<Choice> forUrl(URI url, String serverId) {
        if (serverId != null) {
            return Optional.ofNullable(servers.get(serverId))
                    .map(c -> new Choice(c, "the credentials of " + serverTerm + " '" + serverId + "'", false));
        }
        Optional<Credentials> inline = Urls.userInfo(url);
        if (inline.isPresent()) {
            return Optional.of(new Choice(inline.get(), "the credentials in the URL", true));
        }
        String host = url.getHost();
        if (host == null) {
            return Optional.empty();
        }
        String lower = host.toLowerCase(Locale.ROOT);
        int port = Urls.port(url);
        for (String id : List.of(host + ":" + port, lower + ":" + port, host, lower)) {
            Credentials c = servers.get(id);
            if (c != null) {
                return Optional.of(new Choice(c, "the credentials of " + serverTerm + " '" + id + "'", false));
            }
        }
        return Optional.empty();
    }
}
