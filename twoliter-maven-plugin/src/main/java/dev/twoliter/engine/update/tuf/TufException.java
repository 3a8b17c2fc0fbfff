package dev.twoliter.engine.update.tuf;

import dev.twoliter.engine.TwoliterException;

/**
 * A TUF repository that cannot be written or trusted. The message names the file, the role and the
 * key ids concerned, what was expected and what was found, so it can be shown unchanged.
 */
public class TufException extends TwoliterException {
    private static final long serialVersionUID = 1L;

    public TufException(String message) {
        super(message);
    }

    public TufException(String message, Throwable cause) {
        super(message, cause);
    }
}
