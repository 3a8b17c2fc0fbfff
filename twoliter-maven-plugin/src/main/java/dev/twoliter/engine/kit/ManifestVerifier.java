package dev.twoliter.engine.kit;

/**
 * Checks a kit manifest's signature before anything in it is used. Called with the bytes that will
 * be parsed; fetches the signature from {@code source} itself, so that a policy that checks nothing
 * fetches nothing.
 */
@FunctionalInterface
public interface ManifestVerifier {
    ManifestVerifier NONE = (kit, manifest, source) -> KitSignature.notChecked();

    KitSignature verify(KitCoordinates kit, byte[] manifest, KitSource source) throws KitException;
}
