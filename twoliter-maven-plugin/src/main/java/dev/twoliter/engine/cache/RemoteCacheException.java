package dev.twoliter.engine.cache;

/** A remote cache could not be reached or did not deliver; the build goes on without it. */
public final class RemoteCacheException extends Exception {
    private final boolean fileTooLarge;

    public RemoteCacheException(String message) {
        this(message, null, false);
    }

    public RemoteCacheException(String message, Throwable cause) {
        this(message, cause, false);
    }

    private RemoteCacheException(String message, Throwable cause, boolean fileTooLarge) {
        super(message, cause);
        this.fileTooLarge = fileTooLarge;
    }

    /**
     * The server offered more bytes than the bound the download was given (for an entry's file: the
     * size the entry declares). That is the entry's fault, not the cache's health: the entry is
     * refused and replaced like any altered one, and the cache is still asked for other modules.
     */
    public static RemoteCacheException fileTooLarge(String message) {
        return new RemoteCacheException(message, null, true);
    }

    public boolean isFileTooLarge() {
        return fileTooLarge;
    }
}
