package dev.twoliter.engine.net;

import dev.twoliter.engine.BuildLog;
import java.io.IOException;
import java.net.Authenticator;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import javax.net.ssl.SSLContext;

/**
 * Downloads one http or https URL into a file, bounded in time and size, following at most
 * {@value #MAX_REDIRECTS} redirects itself so that credentials reach only the host they were meant
 * for and https is never downgraded to plain http.
 *
 * <p>Time bounds: the connect timeout; the read timeout for the response headers (the client's
 * request timeout) and then for every silence in the body (a watchdog); and one overall deadline
 * for the whole transfer including redirects, which also stops servers that drip a byte at a time.
 * Each request is a {@link DownloadExchange}; {@link ExchangeFailures} words what went wrong.
 */
public final class HttpDownload {
    static final int MAX_REDIRECTS = 5;

    private final NetworkLimits limits;
    private final ProxySelector proxy;
    private final Authenticator proxyAuthenticator;
    private final SSLContext ssl;
    private final BuildLog log;
    private final ExchangeFailures failures;
    private volatile HttpClient client;

    /**
     * @param proxy chooses the proxy per URL, or null for direct connections
     * @param proxyAuthenticator answers proxy authentication challenges, or null
     */
    public HttpDownload(NetworkLimits limits, ProxySelector proxy, Authenticator proxyAuthenticator, BuildLog log) {
        this(limits, proxy, proxyAuthenticator, null, log);
    }

    /** With an own TLS context, for tests against servers with a self-made certificate. */
    HttpDownload(NetworkLimits limits, ProxySelector proxy, Authenticator proxyAuthenticator, SSLContext ssl,
            BuildLog log) {
        this.limits = limits;
        this.proxy = proxy;
        this.proxyAuthenticator = proxyAuthenticator;
        this.ssl = ssl;
        this.log = log;
        this.failures = new ExchangeFailures(limits, proxy);
    }

    /**
     * Downloads {@code url} into {@code into} (an existing file, overwritten).
     *
     * @param credentials sent preemptively as HTTP Basic, only to the scheme, host and port of
     *     {@code url}; null for none. User info in {@code url} itself is never sent.
     */
    public Downloaded download(URI url, Credentials credentials, SizeBound bound, Path into)
            throws DownloadException, IOException {
        long deadline = System.nanoTime() + limits.overallTimeout().toNanos();
        String credentialsOrigin = credentials == null ? null : Urls.origin(url);
        URI current = url;
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "twoliter-download-watchdog");
            t.setDaemon(true);
            return t;
        });
        try {
            for (int redirects = 0; ; redirects++) {
                DownloadExchange exchange = new DownloadExchange(url, current, bound, into, deadline, watchdog, limits,
                        failures);
                DownloadExchange.Outcome outcome = exchange.run(this::client,
                        Urls.origin(current).equals(credentialsOrigin) ? credentials : null);
                if (outcome instanceof DownloadExchange.Outcome.Saved saved) {
                    String problem = bound.checkFinal(saved.downloaded().bytes());
                    if (problem != null) {
                        throw new DownloadException(where(url, current) + ": " + problem);
                    }
                    return saved.downloaded();
                }
                if (outcome instanceof DownloadExchange.Outcome.Status status) {
                    throw new DownloadException(where(url, current) + ": HTTP " + status.code()
                            + describeStatus(status.code()), status.code());
                }
                URI next = ((DownloadExchange.Outcome.Redirect) outcome).to();
                checkRedirect(url, current, next);
                if (redirects == MAX_REDIRECTS) {
                    throw new DownloadException(where(url, current) + ": more than " + MAX_REDIRECTS + " redirects");
                }
                log.debug(Urls.redact(current.toString()) + " redirects to " + Urls.redact(next.toString()));
                current = next;
            }
        } finally {
            watchdog.shutdownNow();
        }
    }

    private void checkRedirect(URI url, URI from, URI to) throws DownloadException {
        String scheme = Urls.scheme(to);
        if (!scheme.equals("http") && !scheme.equals("https") || to.getHost() == null) {
            throw new DownloadException(where(url, from) + ": redirects to " + Urls.redact(to.toString())
                    + ", which is no http or https URL with a host; refused");
        }
        if (Urls.scheme(from).equals("https") && scheme.equals("http")) {
            throw new DownloadException(where(url, from) + ": redirects from https to plain http ("
                    + Urls.redact(to.toString()) + "); refused, since that would give up the encryption");
        }
    }

    /** The original URL, and where it led if a redirect took us elsewhere; both redacted. */
    static String where(URI url, URI current) {
        String original = Urls.redact(url.toString());
        return current.equals(url) ? original : original + " (redirected to " + Urls.redact(current.toString()) + ")";
    }

    private static String describeStatus(int code) {
        return switch (code) {
            case 401 -> " (unauthorized: the server wants credentials, or rejected the ones sent)";
            case 403 -> " (forbidden)";
            case 404 -> " (not found)";
            case 407 -> " (the proxy wants credentials, or rejected the ones sent)";
            case 410 -> " (gone)";
            case 429 -> " (too many requests)";
            default -> code >= 500 ? " (server error)" : "";
        };
    }

    private HttpClient client() {
        HttpClient c = client;
        if (c == null) {
            synchronized (this) {
                c = client;
                if (c == null) {
                    HttpClient.Builder builder = HttpClient.newBuilder()
                            .version(HttpClient.Version.HTTP_1_1)
                            .connectTimeout(limits.connectTimeout())
                            .followRedirects(HttpClient.Redirect.NEVER);
                    if (proxy != null) {
                        builder.proxy(proxy);
                    }
                    if (proxyAuthenticator != null) {
                        builder.authenticator(proxyAuthenticator);
                    }
                    if (ssl != null) {
                        builder.sslContext(ssl);
                    }
                    c = builder.build();
                    client = c;
                }
            }
        }
        return c;
    }
}
