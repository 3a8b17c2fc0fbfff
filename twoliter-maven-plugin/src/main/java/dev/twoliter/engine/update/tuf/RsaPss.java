package dev.twoliter.engine.update.tuf;

import java.security.SecureRandom;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.RSABlindedEngine;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.signers.PSSSigner;

/**
 * RSASSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt: the parameters of tough (ring's
 * RSA_PSS_SHA256) and of securesystemslib's signer, which fixes the salt at the digest length.
 */
final class RsaPss {
    private static final int SALT_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private RsaPss() {}

    static byte[] sign(RSAKeyParameters key, byte[] message) throws CryptoException {
        PSSSigner signer = new PSSSigner(new RSABlindedEngine(), new SHA256Digest(), SALT_BYTES);
        signer.init(true, new ParametersWithRandom(key, RANDOM));
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    static boolean verify(RSAKeyParameters key, byte[] message, byte[] signature) {
        PSSSigner verifier = new PSSSigner(new RSABlindedEngine(), new SHA256Digest(), SALT_BYTES);
        verifier.init(false, key);
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(signature);
    }
}
