package dev.twoliter.engine.net;

import dev.twoliter.engine.io.Digests;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Receives a response body into a file while hashing and counting it, and stops it the moment it
 * breaks a rule: more bytes than the bound, no data for the read timeout, or the overall deadline
 * passed. The HTTP client's own timeout ends once headers arrive; this watchdog is what protects
 * the body. Stopping cancels the subscription, which makes the client close the connection.
 */
final class BodyToFile implements java.net.http.HttpResponse.BodySubscriber<Downloaded> {
    private final Path file;
    private final SizeBound bound;
    /** The Content-Length, or -1 if the server did not announce one. */
    private final long announced;
    private final NetworkLimits limits;
    private final long deadlineNanos;
    private final ScheduledExecutorService watchdog;
    private final CompletableFuture<Downloaded> result = new CompletableFuture<>();
    private final MessageDigest digest = Digests.newDigest("SHA-512");

    private volatile Flow.Subscription subscription;
    private volatile long lastDataNanos;
    private volatile long received;
    /** Guarded by this: written only while the lock is held, so closing never tears a write. */
    private FileChannel channel;

    BodyToFile(Path file, SizeBound bound, long announced, NetworkLimits limits, long deadlineNanos,
            ScheduledExecutorService watchdog) {
        this.file = file;
        this.bound = bound;
        this.announced = announced;
        this.limits = limits;
        this.deadlineNanos = deadlineNanos;
        this.watchdog = watchdog;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        try {
            synchronized (this) {
                // No CREATE: if the caller already gave up and deleted the file, it must not come back.
                channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
            }
        } catch (IOException e) {
            abort(new WriteFailure(file, e));
            return;
        }
        lastDataNanos = System.nanoTime();
        schedule(this::checkIdle, limits.readTimeout().toNanos());
        schedule(this::checkDeadline, deadlineNanos - System.nanoTime());
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        Throwable failure = null;
        synchronized (this) {
            if (result.isDone()) {
                return;
            }
            try {
                for (ByteBuffer buffer : buffers) {
                    int n = buffer.remaining();
                    if (received + n > bound.maxBytes()) {
                        failure = new DownloadAbort(bound.tooMuchArrived());
                        break;
                    }
                    digest.update(buffer.duplicate());
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                    received += n;
                }
            } catch (IOException e) {
                failure = new WriteFailure(file, e);
            }
            lastDataNanos = System.nanoTime();
        }
        if (failure != null) {
            abort(failure);
        } else {
            subscription.request(1);
        }
    }

    @Override
    public void onError(Throwable error) {
        if ((announced >= 0 && received < announced) || endOfStream(error)) {
            abort(new DownloadAbort(closedEarly()));
        } else {
            abort(new DownloadAbort("the connection failed after " + progress() + ": " + describe(error)));
        }
    }

    @Override
    public void onComplete() {
        Downloaded done;
        synchronized (this) {
            if (result.isDone()) {
                return;
            }
            try {
                channel.close();
            } catch (IOException e) {
                abort(new WriteFailure(file, e));
                return;
            }
            done = new Downloaded(received, HexFormat.of().formatHex(digest.digest()));
        }
        if (announced >= 0 && done.bytes() < announced) {
            abort(new DownloadAbort(closedEarly()));
        } else {
            result.complete(done);
        }
    }

    @Override
    public CompletionStage<Downloaded> getBody() {
        return result;
    }

    /** Stops the transfer (first reason wins): fails the result, closes the connection and the file. */
    void abort(Throwable why) {
        if (!result.completeExceptionally(why)) {
            return;
        }
        Flow.Subscription s = subscription;
        if (s != null) {
            s.cancel();
        }
        closeFile();
    }

    /** Bytes received so far, for messages. */
    String progress() {
        return announced >= 0 ? received + " of " + announced + " bytes" : received + " bytes";
    }

    private synchronized void closeFile() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException e) {
                // the download already failed; the caller deletes the file
            }
        }
    }

    private void checkIdle() {
        if (result.isDone()) {
            return;
        }
        long limit = limits.readTimeout().toNanos();
        long silent = System.nanoTime() - lastDataNanos;
        if (silent >= limit) {
            abort(new DownloadAbort("no data for " + limits.describeReadTimeout() + "; the server stalled after "
                    + progress()));
        } else {
            schedule(this::checkIdle, limit - silent);
        }
    }

    private void checkDeadline() {
        if (!result.isDone()) {
            abort(new DownloadAbort("the download did not finish within " + limits.describeOverallTimeout() + "; "
                    + progress() + " arrived"));
        }
    }

    private void schedule(Runnable check, long delayNanos) {
        try {
            watchdog.schedule(check, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // the download is over and its watchdog shut down
        }
    }

    /** The client's way of saying the server hung up (its message differs by transfer encoding). */
    /**
     * Whether the connection ended inside the body. The JDK's client says so with an EOFException, or,
     * when it ends between chunks of a chunked body, with an IOException naming the parser's state.
     */
    static boolean endOfStream(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof java.io.EOFException
                    || (t.getMessage() != null && t.getMessage().startsWith("chunked transfer encoding, state:"))) {
                return true;
            }
        }
        return false;
    }

    /** The bytes received so far. */
    /**
     * Why the body is incomplete when the connection ended early. One wording whichever side saw the
     * end first: this subscriber, or the client failing the response.
     */
    String closedEarly() {
        return "the server closed the connection after " + progress() + (announced >= 0 ? "" : ", before the end of the body");
    }

    long received() {
        return received;
    }

    /** Writing the download failed on this side (a full disk, say); no other mirror would do better. */
    static final class WriteFailure extends IOException {
        private static final long serialVersionUID = 1L;

        WriteFailure(Path file, IOException cause) {
            super("cannot write " + file + ": " + describe(cause), cause);
        }
    }

    static String describe(Throwable error) {
        return error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
    }
}
