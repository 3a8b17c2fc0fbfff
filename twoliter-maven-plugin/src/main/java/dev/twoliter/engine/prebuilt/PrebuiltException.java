package dev.twoliter.engine.prebuilt;

import dev.twoliter.engine.TwoliterException;

/** A prebuilt RPM is not what its module declares, or cannot be had. */
public class PrebuiltException extends TwoliterException {
    private static final long serialVersionUID = 1L;

    public PrebuiltException(String message) {
        super(message);
    }
}
