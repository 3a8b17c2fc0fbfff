package dev.twoliter.engine.rpm;

import dev.twoliter.engine.TwoliterException;

/** The module's own inputs (spec, sources, dependencies) made its RPM build fail. */
public class RpmBuildException extends TwoliterException {
    private static final long serialVersionUID = 1L;

    public RpmBuildException(String message) {
        super(message);
    }
}
