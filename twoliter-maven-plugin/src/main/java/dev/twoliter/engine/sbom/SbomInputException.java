package dev.twoliter.engine.sbom;

/**
 * A fact handed to the SBOM writers is not fit to be written: a digest that is not lowercase hex of
 * its length, a name with control characters, a text over its bound, too many packages. The facts
 * come from RPM headers and kit manifests of vendors only partly trusted, so this is an input error,
 * not a bug; the message names the package (or subject) and the field, with the value shown safely.
 *
 * <p>Unchecked because the records check their values in their constructors, where a checked
 * exception cannot be declared.
 */
public class SbomInputException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public SbomInputException(String message) {
        super(message);
    }
}
