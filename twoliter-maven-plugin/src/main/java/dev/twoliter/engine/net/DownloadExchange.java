package dev.twoliter.engine.net;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * One request of a download and its answer: the body saved (bounded by {@link BodyToFile}), a
 * redirect to follow, or a status to report. Bodies not worth reading are never read.
 */
final class DownloadExchange {
    /** Extra wait beyond the deadline before the caller stops trusting the client's own timers. */
    private static final Duration HANG_GUARD = Duration.ofSeconds(5);

    /** What one exchange amounted to. */
    sealed interface Outcome {
        record Saved(Downloaded downloaded) implements Outcome {}

        record Redirect(URI to) implements Outcome {}

        record Status(int code) implements Outcome {}
    }

    private final URI url;
    private final URI current;
    private final SizeBound bound;
    private final Path into;
    private final long deadline;
    private final ScheduledExecutorService watchdog;
    private final NetworkLimits limits;
    private final ExchangeFailures failures;
    private final AtomicReference<BodyToFile> body = new AtomicReference<>();

    /**
     * @param url the URL the download started from, for messages
     * @param current the URL this exchange requests
     * @param deadline the overall deadline of the download, in {@link System#nanoTime()}
     */
    DownloadExchange(URI url, URI current, SizeBound bound, Path into, long deadline, ScheduledExecutorService watchdog,
            NetworkLimits limits, ExchangeFailures failures) {
        this.url = url;
        this.current = current;
        this.bound = bound;
        this.into = into;
        this.deadline = deadline;
        this.watchdog = watchdog;
        this.limits = limits;
        this.failures = failures;
    }

    /**
     * Sends the request (with {@code credentials}, if not null) and waits for its outcome.
     *
     * @param client the client, asked for only once the request is ready
     */
    Outcome run(Supplier<HttpClient> client, Credentials credentials) throws DownloadException, IOException {
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
            throw new DownloadException(HttpDownload.where(url, current) + ": not a URL that can be requested");
        }
        request.timeout(headerTimeout)
                .header("User-Agent", "twoliter-maven-plugin")
                .header("Accept-Encoding", "identity")
                .GET();
        if (credentials != null) {
            request.header("Authorization", credentials.basicAuthorization());
        }
        CompletableFuture<HttpResponse<Outcome>> response = client.get().sendAsync(request.build(), this::handle);
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
            throw failures.describe(e.getCause(), url, current, body.get(), headersCappedByDeadline);
        }
    }

    private DownloadException overall() {
        return failures.overall(url, current, body.get());
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
