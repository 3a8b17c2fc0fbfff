package dev.twoliter.engine.kit;

/**
 * A kit payload file is not what its manifest describes: wrong size or digest, an unreadable or
 * hostile archive, RPMs that differ from the manifest's. The file that was resolved is bad, so
 * the next build should fetch it again.
 */
public class KitPayloadException extends KitException {
    private static final long serialVersionUID = 1L;

    public KitPayloadException(String message) {
        super(message);
    }

    public KitPayloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
