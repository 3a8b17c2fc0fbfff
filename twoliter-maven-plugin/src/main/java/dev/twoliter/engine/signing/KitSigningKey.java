package dev.twoliter.engine.signing;

import dev.twoliter.engine.io.AtomicFiles;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.bcpg.HashAlgorithmTags;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.bouncycastle.openpgp.api.OpenPGPSignature;
import org.bouncycastle.openpgp.api.SignatureParameters;

/**
 * A vendor's OpenPGP secret key, unlocked, that signs kit manifests with detached binary
 * signatures. The signature's time is the build timestamp (or the signing key's creation, if
 * the key is younger), so EdDSA and RSA keys give the same bytes for the same manifest; ECDSA and
 * DSA signatures are randomized by their scheme.
 */
public final class KitSigningKey {
    private final OpenPGPKey key;
    private final OpenPGPKey.OpenPGPSecretKey signingKey;
    private final char[] passphrase;
    private final Path file;

    private KitSigningKey(OpenPGPKey key, OpenPGPKey.OpenPGPSecretKey signingKey, char[] passphrase, Path file) {
        this.key = key;
        this.signingKey = signingKey;
        this.passphrase = passphrase;
        this.file = file;
    }

    /**
     * Reads an armored or binary secret key and checks that it can sign now with {@code
     * passphrase} (empty: the key must be unprotected); {@code passphraseSource} says where a
     * passphrase would come from, for the error that asks for one.
     */
    public static KitSigningKey load(Path file, Optional<char[]> passphrase, String passphraseSource, Instant now)
            throws SigningException {
        byte[] bytes = OpenPgpFiles.read(file, OpenPgpFiles.MAX_KEY_FILE_BYTES, "kit signing key");
        OpenPGPCertificate parsed;
        try {
            parsed = OpenPgpFiles.api().readKeyOrCertificate().parseKeyOrCertificate(bytes);
        } catch (IOException | RuntimeException e) {
            throw new SigningException("Kit signing key " + file + " is not an OpenPGP key (armored or binary): "
                    + e.getMessage(), e);
        }
        if (!(parsed instanceof OpenPGPKey key) || !parsed.isSecretKey()) {
            throw new SigningException("Kit signing key " + file + " holds only a public key (" + OpenPgpFiles.hex(
                    parsed.getFingerprint()) + "); signing needs the secret key (for example `gpg --export-secret-keys"
                    + " --armor <id>`).");
        }
        String fingerprint = OpenPgpFiles.hex(key.getFingerprint());
        if (key.getRevocation() != null) {
            throw new SigningException("Kit signing key " + file + " (" + fingerprint + ") is revoked; sign with"
                    + " another key and give its public key to the kit's consumers.");
        }
        Date at = Date.from(now);
        List<OpenPGPCertificate.OpenPGPComponentKey> signing = key.getSigningKeys(at);
        if (signing.isEmpty()) {
            throw new SigningException("Kit signing key " + file + " (" + fingerprint + ") has no key that can sign"
                    + " on " + now + ": it has expired, or none of its keys has the signing flag. Extend its"
                    + " expiry or generate a new key.");
        }
        OpenPGPKey.OpenPGPSecretKey secret = key.getSecretKey(signing.get(signing.size() - 1));
        if (secret == null) {
            throw new SigningException("Kit signing key " + file + " (" + fingerprint + ") lacks the secret part of"
                    + " its signing key (a stub, as exported for a smartcard); export the full secret key.");
        }
        char[] phrase = passphrase.orElse(new char[0]);
        if (secret.isLocked()) {
            if (passphrase.isEmpty()) {
                throw new SigningException("Kit signing key " + file + " (" + fingerprint + ") is protected by a"
                        + " passphrase; provide it through " + passphraseSource + ".");
            }
            if (!secret.isPassphraseCorrect(phrase)) {
                throw new SigningException("The passphrase from " + passphraseSource + " does not unlock kit signing"
                        + " key " + file + " (" + fingerprint + ").");
            }
        }
        return new KitSigningKey(key, secret, phrase, file);
    }

    /** The primary key's fingerprint: what consumers trust and what locks record. */
    public String fingerprint() {
        return OpenPgpFiles.hex(key.getFingerprint());
    }

    /** The signature's time for a build stamped {@code buildTime}: never before the signing key existed. */
    Instant signatureTime(Instant buildTime) {
        Instant created = signingKey.getCreationTime().toInstant();
        Instant primaryCreated = key.getPrimaryKey().getCreationTime().toInstant();
        Instant youngest = created.isAfter(primaryCreated) ? created : primaryCreated;
        return buildTime.isBefore(youngest) ? youngest : buildTime;
    }

    /** A detached binary signature of {@code data}. */
    public byte[] sign(byte[] data, Instant buildTime) throws SigningException {
        Date time = Date.from(signatureTime(buildTime));
        try {
            List<OpenPGPSignature.OpenPGPDocumentSignature> signatures = OpenPgpFiles.api().createDetachedSignature()
                    .addSigningKey(signingKey, k -> passphrase, new SignatureParameters.Callback() {
                        @Override
                        public SignatureParameters apply(SignatureParameters parameters) {
                            // SHA-512, not the library's SHA3 default: gpg and older OpenPGP tools cannot check SHA3.
                            return parameters.setSignatureCreationTime(time)
                                    .setSignatureHashAlgorithm(HashAlgorithmTags.SHA512);
                        }
                    })
                    .sign(new ByteArrayInputStream(data));
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (OpenPGPSignature.OpenPGPDocumentSignature signature : signatures) {
                out.write(signature.getEncoded());
            }
            return out.toByteArray();
        } catch (PGPException | IOException | RuntimeException e) {
            throw new SigningException("Kit signing key " + file + " (" + fingerprint() + ") could not sign at "
                    + time.toInstant() + ": " + e.getMessage(), e);
        }
    }

    /** Signs {@code file} into {@code signatureFile}, replacing it atomically. */
    public void signFile(Path file, Path signatureFile, Instant buildTime) throws SigningException, IOException {
        byte[] signature = sign(Files.readAllBytes(file), buildTime);
        AtomicFiles.write(signatureFile, signature);
    }
}
