package dev.twoliter.engine.signing;

import dev.twoliter.engine.TwoliterException;

/** A signing key or a trusted key cannot be used: unreadable, wrong passphrase, expired, revoked, not a key. */
public class SigningException extends TwoliterException {
    private static final long serialVersionUID = 1L;

    public SigningException(String message) {
        super(message);
    }

    public SigningException(String message, Throwable cause) {
        super(message, cause);
    }
}
