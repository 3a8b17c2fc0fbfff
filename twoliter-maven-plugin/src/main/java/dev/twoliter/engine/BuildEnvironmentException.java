package dev.twoliter.engine;

/**
 * The machine cannot run builds (Docker unreachable, SDK image missing or not following the
 * contract). Distinct from failures caused by the project's own inputs.
 */
public class BuildEnvironmentException extends TwoliterException {
    private static final long serialVersionUID = 1L;

    public BuildEnvironmentException(String message) {
        super(message);
    }

    public BuildEnvironmentException(String message, Throwable cause) {
        super(message, cause);
    }
}
