package dev.twoliter.engine.net;

/**
 * A download failed for a reason on the other side (the network, the server, its answer). The
 * message is complete on its own and starts with the redacted URL. Local failures, such as a full
 * disk, are {@link java.io.IOException}s instead, since no other mirror would fare better.
 */
public final class DownloadException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int status;

    DownloadException(String message, int status) {
        super(message);
        this.status = status;
    }

    DownloadException(String message) {
        this(message, 0);
    }

    /** The HTTP status that ended the download, or 0 if the failure was no HTTP answer. */
    public int status() {
        return status;
    }
}
