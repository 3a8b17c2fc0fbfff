package dev.twoliter.engine.update.tuf;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.SubjectPublicKeyInfoFactory;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/** A TUF signing key: an Ed25519 or RSA private key in a PKCS#8 PEM file, optionally encrypted. */
public final class TufSigningKey {
    /** A key file is a few KiB; the bound keeps a wrong file from filling memory. */
    static final int MAX_KEY_FILE_BYTES = 64 << 10;

    private final AsymmetricKeyParameter key;
    private final TufPublicKey publicKey;
    private final String keyId;
    private final Path file;

    private TufSigningKey(AsymmetricKeyParameter key, TufPublicKey publicKey, Path file) {
        this.key = key;
        this.publicKey = publicKey;
        this.keyId = publicKey.keyId();
        this.file = file;
    }

    public static TufSigningKey load(Path pemFile, Optional<char[]> passphrase, String passphraseSource)
            throws TufException {
        Object pem = pem(pemFile);
        PrivateKeyInfo info;
        if (pem instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
            char[] phrase = passphrase.orElseThrow(() -> new TufException("TUF signing key " + pemFile
                    + " is protected by a passphrase; provide it through " + passphraseSource + "."));
            try {
                info = encrypted.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder()
                        .setProvider(Provider.BC).build(phrase));
            } catch (PKCSException | OperatorCreationException | RuntimeException e) {
                throw new TufException("The passphrase from " + passphraseSource + " does not unlock TUF signing key "
                        + pemFile + ".", e);
            }
        } else if (pem instanceof PrivateKeyInfo plain) {
            info = plain;
        } else {
            throw new TufException("TUF signing key " + pemFile + " holds no PKCS#8 private key (-----BEGIN PRIVATE"
                    + " KEY----- or -----BEGIN ENCRYPTED PRIVATE KEY-----); convert it with openssl pkcs8 -topk8.");
        }
        try {
            AsymmetricKeyParameter key = PrivateKeyFactory.createKey(info);
            if (key instanceof Ed25519PrivateKeyParameters ed) {
                return new TufSigningKey(key, TufPublicKey.ed25519(ed.generatePublicKey().getEncoded()), pemFile);
            }
            if (key instanceof RSAPrivateCrtKeyParameters rsa) {
                int bits = rsa.getModulus().bitLength();
                if (bits < TufPublicKey.MIN_RSA_BITS) {
                    throw new TufException("TUF signing key " + pemFile + " is a " + bits + "-bit RSA key; use at"
                            + " least " + TufPublicKey.MIN_RSA_BITS + " bits.");
                }
                RSAKeyParameters pub = new RSAKeyParameters(false, rsa.getModulus(), rsa.getPublicExponent());
                return new TufSigningKey(key, TufPublicKey.rsa(
                        SubjectPublicKeyInfoFactory.createSubjectPublicKeyInfo(pub)), pemFile);
            }
            throw new TufException("TUF signing key " + pemFile + " is a " + info.getPrivateKeyAlgorithm()
                    .getAlgorithm() + " key; only Ed25519 and RSA (2048 bits or more) keys are supported.");
        } catch (IOException | RuntimeException e) {
            throw new TufException("TUF signing key " + pemFile + " cannot be read: " + e.getMessage()
                    + "; only Ed25519 and RSA keys are supported.", e);
        }
    }

    public TufPublicKey publicKey() {
        return publicKey;
    }

    public String keyId() {
        return keyId;
    }

    public Path file() {
        return file;
    }

    public byte[] sign(byte[] message) throws TufException {
        if (key instanceof Ed25519PrivateKeyParameters ed) {
            Ed25519Signer signer = new Ed25519Signer();
            signer.init(true, ed);
            signer.update(message, 0, message.length);
            return signer.generateSignature();
        }
        try {
            return RsaPss.sign((RSAKeyParameters) key, message);
        } catch (CryptoException | RuntimeException e) {
            throw new TufException("TUF signing key " + file + " (key id " + keyId + ") could not sign: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return file + " (key id " + keyId + ")";
    }

    private static Object pem(Path file) throws TufException {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_KEY_FILE_BYTES + 1);
        } catch (IOException e) {
            throw new TufException("Cannot read TUF signing key " + file + ": " + e.getMessage(), e);
        }
        if (bytes.length > MAX_KEY_FILE_BYTES) {
            throw new TufException("TUF signing key " + file + " is larger than " + (MAX_KEY_FILE_BYTES >> 10)
                    + " KiB; it is not a key file.");
        }
        try (PEMParser parser = new PEMParser(new StringReader(new String(bytes, StandardCharsets.US_ASCII)))) {
            Object object = parser.readObject();
            if (object == null) {
                throw new TufException("TUF signing key " + file + " holds no PEM block.");
            }
            return object;
        } catch (IOException | RuntimeException e) {
            throw new TufException("TUF signing key " + file + " is not PEM: " + e.getMessage(), e);
        }
    }

    /** Created on first use: the provider is needed only to decrypt or encrypt key files. */
    static final class Provider {
        static final BouncyCastleProvider BC = new BouncyCastleProvider();

        private Provider() {}
    }
}
