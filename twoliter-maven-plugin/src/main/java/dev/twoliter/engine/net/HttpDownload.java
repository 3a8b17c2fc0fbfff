package dev.twoliter.engine.net;

import dev.twoliter.engine.BuildLog;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.Authenticator;
import java.net.ConnectException;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * Downloads one http or https URL into a file, bounded in time and size, following at most
 * {@value #MAX_REDIRECTS} redirects itself so that credentials reach only the host they were meant
 * for and https is never downgraded to plain http.
 *
 * <p>Time bounds: the connect timeout; the read timeout for the response headers (the client's
 * request timeout) and then for every silence in the body (a watchdog); and one overall deadline
 * for the whole transfer including redirects, which also stops servers that drip a byte at a time.
 */
public final class HttpDownload {
    static final int MAX_REDIRECTS = 5;
    /** Extra wait beyond the deadline before the caller stops trusting the client's own timers. */
    private static final Duration HANG_GUARD = Duration.ofSeconds(5);

    private final NetworkLimits limits;
    private final ProxySelector proxy;
    private final Authenticator proxyAuthenticator;
    private final SSLContext ssl;
    private final BuildLog log;
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
                Exchange exchange = new Exchange(url, current, bound, into, deadline, watchdog);
                Outcome outcome = exchange.run(Urls.origin(current).equals(credentialsOrigin) ? credentials : null);
                if (outcome instanceof Outcome.Saved saved) {
                    String problem = bound.checkFinal(saved.downloaded().bytes());
                    if (problem != null) {
                        throw new DownloadException(where(url, current) + ": " + problem);
                    }
                    return saved.downloaded();
                }
                if (outcome instanceof Outcome.Status status) {
                    throw new DownloadException(where(url, current) + ": HTTP " + status.code()
                            + describeStatus(status.code()), status.code());
                }
                URI next = ((Outcome.Redirect) outcome).to();
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

    /** One request and its answer. */
    private final class Exchange {
        private final URI url;
        private final URI current;
        private final SizeBound bound;
        private final Path into;
        private final long deadline;
        private final ScheduledExecutorService watchdog;
        private final AtomicReference<BodyToFile> body = new AtomicReference<>();

        Exchange(URI url, URI current, SizeBound bound, Path into, long deadline, ScheduledExecutorService watchdog) {
            this.url = url;
            this.current = current;
            this.bound = bound;
            this.into = into;
            this.deadline = deadline;
            this.watchdog = watchdog;
        }

        Outcome run(Credentials credentials) throws DownloadException, IOException {
            long remaining = deadline - System.nanoTime();
            if (remaining <= 0) {
                throw overall();
            }
            // The client's request timeout runs from sending the request until the headers arrive
            // (the body is the watchdog's), so a server that accepts the connection and stays silent
            // fails after the read timeout, as the message says. Connecting has its own timeout in
            // the client. The overall deadline caps both, so a redirect chain cannot outlast the
            // transfer limit.
            Duration untilHeaders = limits.readTimeout();
            boolean headersCappedByDeadline = remaining < untilHeaders.toNanos();
            Duration headerTimeout = headersCappedByDeadline ? Duration.ofNanos(remaining) : untilHeaders;
            HttpRequest.Builder request;
            try {
                request = HttpRequest.newBuilder(Urls.withoutUserInfo(current));
            } catch (IllegalArgumentException e) {
                throw new DownloadException(where(url, current) + ": not a URL that can be requested");
            }
            request.timeout(headerTimeout)
                    .header("User-Agent", "twoliter-maven-plugin")
                    .header("Accept-Encoding", "identity")
                    .GET();
            if (credentials != null) {
                request.header("Authorization", credentials.basicAuthorization());
            }
            CompletableFuture<HttpResponse<Outcome>> response = client().sendAsync(request.build(), this::handle);
            try {
                return response.get(remaining + HANG_GUARD.toNanos(), TimeUnit.NANOSECONDS).body();
            } catch (InterruptedException e) {
                stop(response, new DownloadAbort("interrupted"));
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while downloading " + Urls.redact(url.toString()));
            } catch (TimeoutException e) {
                stop(response, new DownloadAbort("hang guard"));
                throw overall();
            } catch (ExecutionException e) {
                throw failure(e.getCause(), headersCappedByDeadline);
            }
        }

        private void stop(CompletableFuture<?> response, DownloadAbort why) {
            BodyToFile b = body.get();
            if (b != null) {
                b.abort(why);
            }
            response.cancel(true);
        }

        /** Decides from the status and headers whether to read the body at all. */
        private HttpResponse.BodySubscriber<Outcome> handle(HttpResponse.ResponseInfo info) {
            int status = info.statusCode();
            if (status == 200) {
                OptionalLong length = contentLength(info.headers());
                if (length.isPresent()) {
                    String problem = bound.checkAnnounced(length.getAsLong(), "the server announces");
                    if (problem != null) {
                        return new Unread(CompletableFuture.failedFuture(new DownloadAbort(problem)));
                    }
                }
                BodyToFile saving = new BodyToFile(into, bound, length.orElse(-1), limits, deadline, watchdog);
                body.set(saving);
                return HttpResponse.BodySubscribers.mapping(saving, Outcome.Saved::new);
            }
            if (status == 301 || status == 302 || status == 303 || status == 307 || status == 308) {
                Optional<String> location = info.headers().firstValue("Location");
                if (location.isEmpty()) {
                    return new Unread(CompletableFuture.failedFuture(
                            new DownloadAbort("HTTP " + status + " redirect without a Location header")));
                }
                try {
                    return new Unread(CompletableFuture.completedFuture(
                            new Outcome.Redirect(current.resolve(URI.create(location.get().trim())))));
                } catch (IllegalArgumentException e) {
                    return new Unread(CompletableFuture.failedFuture(new DownloadAbort(
                            "HTTP " + status + " redirect to a malformed location " + Urls.redact(location.get()))));
                }
            }
            return new Unread(CompletableFuture.completedFuture(new Outcome.Status(status)));
        }

        private DownloadException overall() {
            BodyToFile b = body.get();
            return new DownloadException(where(url, current) + ": the download did not finish within "
                    + limits.describeOverallTimeout() + (b == null ? "" : "; " + b.progress() + " arrived"));
        }

        private DownloadException failure(Throwable error, boolean headersCappedByDeadline) throws IOException {
            String at = where(url, current);
            DownloadAbort abort = find(error, DownloadAbort.class);
            if (abort != null) {
                return new DownloadException(at + ": " + abort.getMessage());
            }
            BodyToFile.WriteFailure local = find(error, BodyToFile.WriteFailure.class);
            if (local != null) {
                throw local;
            }
            Proxy.Type via = proxyFor(current);
            String target = via == Proxy.Type.HTTP ? "proxy " + proxyAddress(current)
                    : current.getHost() + ":" + Urls.port(current);
            if (find(error, HttpConnectTimeoutException.class) != null) {
                return new DownloadException(at + ": cannot connect to " + target + " within "
                        + limits.describeConnectTimeout());
            }
            if (find(error, HttpTimeoutException.class) != null) {
                return headersCappedByDeadline ? overall()
                        : new DownloadException(at + ": no data for " + limits.describeReadTimeout()
                                + " while waiting for the response");
            }
            if (find(error, UnresolvedAddressException.class) != null) {
                return new DownloadException(at + ": cannot resolve host "
                        + (via == Proxy.Type.HTTP ? "of the proxy " + proxyAddress(current) : current.getHost()));
            }
            if (find(error, ConnectException.class) != null) {
                String detail = innermostMessage(error);
                return detail == null || detail.toLowerCase(java.util.Locale.ROOT).contains("refused")
                        ? new DownloadException(at + ": connection refused by " + target)
                        : new DownloadException(at + ": cannot connect to " + target + ": " + detail);
            }
            SSLException tls = find(error, SSLException.class);
            if (tls != null) {
                return new DownloadException(at + ": the TLS connection to " + target + " failed: "
                        + BodyToFile.describe(tls));
            }
            BodyToFile saving = body.get();
            if (saving != null && BodyToFile.endOfStream(error)) {
                return new DownloadException(at + ": " + saving.closedEarly());
            }
            String message = BodyToFile.describe(error);
            if (message.contains("header parser received no bytes") || message.contains("EOF reached")) {
                return new DownloadException(at + ": the server closed the connection without answering");
            }
            return new DownloadException(at + ": " + message);
        }
    }

    /** The most specific explanation in a chain of exceptions (the client wraps the system's). */
    private static String innermostMessage(Throwable error) {
        String message = null;
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                message = t.getMessage();
            }
        }
        return message;
    }

    private static <T extends Throwable> T find(Throwable error, Class<T> type) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }

    private Proxy.Type proxyFor(URI uri) {
        if (proxy == null) {
            return Proxy.Type.DIRECT;
        }
        List<Proxy> chosen = proxy.select(uri);
        return chosen.isEmpty() ? Proxy.Type.DIRECT : chosen.get(0).type();
    }

    private String proxyAddress(URI uri) {
        Object address = proxy.select(uri).get(0).address();
        if (address instanceof java.net.InetSocketAddress a) {
            return a.getHostString() + ":" + a.getPort();
        }
        return String.valueOf(address);
    }

    /** The original URL, and where it led if a redirect took us elsewhere; both redacted. */
    private static String where(URI url, URI current) {
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

    private static OptionalLong contentLength(HttpHeaders headers) {
        Optional<String> value = headers.firstValue("Content-Length");
        if (value.isEmpty()) {
            return OptionalLong.empty();
        }
        try {
            long length = Long.parseLong(value.get().trim());
            return length < 0 ? OptionalLong.empty() : OptionalLong.of(length);
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
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

    /** What one exchange amounted to. */
    private sealed interface Outcome {
        record Saved(Downloaded downloaded) implements Outcome {}

        record Redirect(URI to) implements Outcome {}

        record Status(int code) implements Outcome {}
    }

    /**
     * A body not worth reading (an error page, a redirect's, one known to be too large): cancelled
     * at once, which closes the connection, so a hostile server cannot keep us reading it.
     */
    private static final class Unread implements HttpResponse.BodySubscriber<Outcome> {
        private final CompletableFuture<Outcome> outcome;

        Unread(CompletableFuture<Outcome> outcome) {
            this.outcome = outcome;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            subscription.cancel();
        }

        @Override
        public void onNext(List<java.nio.ByteBuffer> item) {}

        @Override
        public void onError(Throwable throwable) {}

        @Override
        public void onComplete() {}

        @Override
        public CompletionStage<Outcome> getBody() {
            return outcome;
        }
    }
}
