package dev.twoliter.engine.source;

import dev.twoliter.engine.TwoliterException;

/** An external source could not be obtained or did not match its declared digest. */
public class SourceFetchException extends TwoliterException {
    private static final long serialVersionUID = 1L;

    public SourceFetchException(String message) {
        super(message);
    }
}
