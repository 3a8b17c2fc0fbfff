package dev.twoliter.engine.signing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.stream.Collectors;
import org.bouncycastle.bcpg.KeyIdentifier;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPSignature;
import org.bouncycastle.openpgp.PGPSignatureList;
import org.bouncycastle.openpgp.PGPUtil;
import org.bouncycastle.openpgp.api.OpenPGPCertificate;
import org.bouncycastle.openpgp.api.OpenPGPSignature;
import org.bouncycastle.openpgp.bc.BcPGPObjectFactory;

/** What checking a detached OpenPGP signature against a set of trusted keys found. */
public sealed interface SignatureCheck {
    /** The signature verified; {@code fingerprint} is the signer's primary key. */
    record Verified(String fingerprint) implements SignatureCheck {}

    /**
     * The signature did not verify. {@code key} names the key concerned (the signer's primary
     * key once it is known, else the key id the signature gives), {@code detail} adds what
     * the reason needs (the parse error, the trusted fingerprints, the signature's time).
     */
    record Refused(Reason reason, String key, String detail) implements SignatureCheck {}

    enum Reason {
        /** The file holds no OpenPGP document signature. */
        MALFORMED,
        /** No key is trusted for the signed thing's group. */
        NO_TRUSTED_KEY,
        /** Keys are trusted for the group, but the signer is not one of them. */
        UNTRUSTED_KEY,
        /** A trusted key's signature that does not match the data: the data changed after signing. */
        BAD_SIGNATURE,
        /** The signer's key is revoked. */
        REVOKED,
        /** The key was not valid when the signature was made (expired, revoked or not yet created). */
        INVALID_WHEN_SIGNED,
        /** The key was valid when it signed, but has expired since. */
        EXPIRED
    }

    /** A detached signature by one key is a few hundred bytes, even with RSA-4096. */
    int MAX_SIGNATURE_BYTES = 64 << 10;

    /** Checks {@code signatureFile} over {@code data} against the keys {@code trusted} has for {@code group}. */
    static SignatureCheck check(byte[] data, Path signatureFile, TrustedKitKeys trusted, String group, Instant now) {
        List<PGPSignature> signatures;
        try {
            signatures = parse(OpenPgpFiles.read(signatureFile, MAX_SIGNATURE_BYTES, "signature"));
        } catch (SigningException | IOException | RuntimeException e) {
            return new Refused(Reason.MALFORMED, "", e.getMessage());
        }
        String signers = signatures.stream().map(SignatureCheck::issuer).distinct().collect(Collectors.joining(", "));
        List<OpenPGPCertificate> certificates = trusted.certificatesFor(group);
        if (certificates.isEmpty()) {
            return new Refused(Reason.NO_TRUSTED_KEY, signers, "");
        }
        List<OpenPGPSignature.OpenPGPDocumentSignature> results;
        try {
            var processor = OpenPgpFiles.api().verifyDetachedSignature();
            processor.addSignatures(new PGPSignatureList(signatures.toArray(PGPSignature[]::new)));
            certificates.forEach(processor::addVerificationCertificate);
            results = processor.process(new ByteArrayInputStream(data));
        } catch (IOException | RuntimeException e) {
            return new Refused(Reason.MALFORMED, signers, e.getMessage());
        }
        if (results.isEmpty()) {
            return new Refused(Reason.UNTRUSTED_KEY, signers, trusted.describeFor(group));
        }
        List<Refused> refusals = new ArrayList<>();
        for (OpenPGPSignature.OpenPGPDocumentSignature result : results) {
            String fingerprint = OpenPgpFiles.hex(result.getIssuerCertificate().getFingerprint());
            if (!result.isTestedCorrect()) {
                refusals.add(new Refused(Reason.BAD_SIGNATURE, fingerprint, ""));
            } else if (result.getIssuerCertificate().getRevocation() != null) {
                refusals.add(new Refused(Reason.REVOKED, fingerprint, ""));
            } else if (!validAt(result, null)) {
                refusals.add(new Refused(Reason.INVALID_WHEN_SIGNED, fingerprint,
                        result.getCreationTime().toInstant().toString()));
            } else if (!validAt(result, Date.from(now))) {
                refusals.add(new Refused(Reason.EXPIRED, fingerprint, ""));
            } else {
                return new Verified(fingerprint);
            }
        }
        return refusals.get(0);
    }

    /** At the signature's own time ({@code at} null) or at {@code at}. */
    private static boolean validAt(OpenPGPSignature.OpenPGPDocumentSignature result, Date at) {
        try {
            return at == null ? result.isValid() : result.isValidAt(at);
        } catch (PGPException e) {
            return false;
        }
    }

    private static List<PGPSignature> parse(byte[] bytes) throws IOException {
        BcPGPObjectFactory objects = new BcPGPObjectFactory(PGPUtil.getDecoderStream(new ByteArrayInputStream(bytes)));
        List<PGPSignature> signatures = new ArrayList<>();
        for (Object object; (object = objects.nextObject()) != null; ) {
            if (!(object instanceof PGPSignatureList list)) {
                throw new IOException("it holds a " + object.getClass().getSimpleName() + ", not only signatures");
            }
            for (PGPSignature signature : list) {
                if (signature.getSignatureType() != PGPSignature.BINARY_DOCUMENT) {
                    throw new IOException("it holds a signature of type " + signature.getSignatureType()
                            + ", not a document signature");
                }
                signatures.add(signature);
            }
        }
        if (signatures.isEmpty()) {
            throw new IOException("it holds no signature");
        }
        if (signatures.size() > 16) {
            throw new IOException("it holds " + signatures.size() + " signatures; expected one per signer");
        }
        return signatures;
    }

    private static String issuer(PGPSignature signature) {
        List<KeyIdentifier> ids = signature.getKeyIdentifiers();
        if (ids.isEmpty()) {
            return "(no issuer)";
        }
        KeyIdentifier best = OpenPGPSignature.getMostExpressiveIdentifier(ids);
        return best.getFingerprint() != null ? OpenPgpFiles.hex(best.getFingerprint())
                : String.format("%016X", best.getKeyId());
    }
}
