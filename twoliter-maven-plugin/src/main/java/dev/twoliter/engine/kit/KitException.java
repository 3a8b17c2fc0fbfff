package dev.twoliter.engine.kit;

import dev.twoliter.engine.TwoliterException;

/** A kit is missing, malformed, tampered with, in conflict with another, or not what the lock says. */
public class KitException extends TwoliterException {
    private static final long serialVersionUID = 1L;

    public KitException(String message) {
        super(message);
    }

    public KitException(String message, Throwable cause) {
        super(message, cause);
    }
}
