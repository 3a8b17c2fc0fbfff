package dev.twoliter.engine.vendor;

import dev.twoliter.engine.TwoliterException;

/** A Go module or Cargo crate could not be vendored, or a vendored archive is not what was pinned. */
public class VendorException extends TwoliterException {
    public VendorException(String message) {
        super(message);
    }
}
