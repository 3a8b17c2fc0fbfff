package dev.twoliter.maven;

/**
 * One {@code <trustedKitKey>} of {@code <trustedKitKeys>}: the kits of {@code groupId} (or, with
 * a trailing {@code .*}, of that groupId and the ones under it) must be signed by a key in {@code
 * keyFile}, an OpenPGP public key file (armored or binary) relative to the project root, or in
 * {@code keyArtifact} ({@code groupId:artifactId:version[:extension[:classifier]]}, extension
 * {@code asc} by default), which needs {@code fingerprint}: the one key of that file to trust.
 */
public class TrustedKitKey {
    String groupId;
    String keyFile;
    String keyArtifact;
    String fingerprint;

    public TrustedKitKey() {}

    TrustedKitKey(String groupId, String keyFile) {
        this.groupId = groupId;
        this.keyFile = keyFile;
    }
}
