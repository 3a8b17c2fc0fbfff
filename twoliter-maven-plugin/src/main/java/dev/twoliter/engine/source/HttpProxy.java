package dev.twoliter.engine.source;

import java.io.IOException;
import java.net.Authenticator;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The HTTP proxy for source downloads, as configured for Maven (settings.xml {@code <proxy>}):
 * host, port, optional credentials, and {@code nonProxyHosts} ({@code |}-separated, {@code *}
 * wildcards).
 */
public record HttpProxy(String host, int port, String username, String password, String nonProxyHosts) {

    public ProxySelector selector() {
        InetSocketAddress address = InetSocketAddress.createUnresolved(host, port);
        List<Pattern> direct = nonProxyHosts == null ? List.of() : Arrays.stream(nonProxyHosts.split("[|,]"))
                .map(String::trim).filter(p -> !p.isEmpty())
                .map(p -> Pattern.compile(Pattern.quote(p.toLowerCase(Locale.ROOT)).replace("*", "\\E.*\\Q")))
                .toList();
        return new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                String target = uri.getHost() == null ? "" : uri.getHost().toLowerCase(Locale.ROOT);
                boolean bypass = direct.stream().anyMatch(p -> p.matcher(target).matches());
                return List.of(bypass ? Proxy.NO_PROXY : new Proxy(Proxy.Type.HTTP, address));
            }

            @Override
            public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {}
        };
    }

    /** Records print their fields; this one has a password. */
    @Override
    public String toString() {
        return "HttpProxy[host=" + host + ", port=" + port + ", username=" + username + ", password="
                + (password == null ? null : "***") + ", nonProxyHosts=" + nonProxyHosts + "]";
    }

    public Authenticator authenticator() {
        if (username == null || username.isEmpty()) {
            return null;
        }
        return new Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return getRequestorType() == RequestorType.PROXY
                        ? new PasswordAuthentication(username, password == null ? new char[0] : password.toCharArray())
                        : null;
            }
        };
    }
}
