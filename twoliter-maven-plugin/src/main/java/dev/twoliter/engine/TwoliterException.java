package dev.twoliter.engine;

/**
 * A failure the user can act on. The message is complete on its own (it names the module,
 * file or coordinate concerned and, where a tool failed, the tail of its log and the full log's
 * path), so adapters show it unchanged.
 */
public class TwoliterException extends Exception {
    private static final long serialVersionUID = 1L;

    public TwoliterException(String message) {
        super(message);
    }

    public TwoliterException(String message, Throwable cause) {
        super(message, cause);
    }
}
