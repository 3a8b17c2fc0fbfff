package dev.twoliter.engine.cache;

/** A remote cache could not be reached or did not deliver; the build goes on without it. */
public final class RemoteCacheException extends Exception {
    public RemoteCacheException(String message) {
        super(message);
    }

    public RemoteCacheException(String message, Throwable cause) {
        super(message, cause);
    }
}
