package dev.twoliter.engine.closure;

import dev.twoliter.engine.TwoliterException;

/**
 * A dependency, version or exception text that is not what rpm would write. The message says what
 * is wrong with the text; callers that know where it came from (a package, a POM) say so in front.
 */
public class DependencySyntaxException extends TwoliterException {
    private static final long serialVersionUID = 1L;

    public DependencySyntaxException(String message) {
        super(message);
    }
}
