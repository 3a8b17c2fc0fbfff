package dev.twoliter.engine.signing;

import dev.twoliter.engine.io.Digests;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.spec.RSAPublicKeySpec;
import java.time.Instant;
import java.util.Date;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.jce.interfaces.ECPrivateKey;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.jce.spec.ECPublicKeySpec;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * A private key and the X.509 certificate of its public key, both PEM files as openssl writes them
 * (PKCS#8, encrypted PKCS#8 or OpenSSL's traditional form). Loading checks that they belong together,
 * that the key's algorithm is one the consumer of the signatures accepts, and that the certificate is
 * valid at the build's time (a consumer may not check validity, but signing with an expired
 * certificate is a mistake). {@code purpose} ("root hash signing", "Secure Boot signing") starts
 * every message, so the user knows which of the configured keys is meant.
 */
final class X509SigningKey {
    static final BouncyCastleProvider PROVIDER = new BouncyCastleProvider();
    static final String RSA = "1.2.840.113549.1.1.1";
    static final String EC = "1.2.840.10045.2.1";

    private final PrivateKey key;
    private final X509CertificateHolder certificate;
    private final String algorithm;
    private final Path keyFile;
    private final String purpose;

    private X509SigningKey(PrivateKey key, X509CertificateHolder certificate, String algorithm, Path keyFile,
            String purpose) {
        this.key = key;
        this.certificate = certificate;
        this.algorithm = algorithm;
        this.keyFile = keyFile;
        this.purpose = purpose;
    }

    /**
     * @param algorithms the key algorithm OIDs accepted ({@link #RSA}, {@link #EC})
     * @param accepted how to say which keys are accepted, for the message when another is given
     */
    static X509SigningKey load(String purpose, Path keyFile, Path certificateFile, Optional<char[]> passphrase,
            String passphraseSource, Instant now, Set<String> algorithms, String accepted) throws SigningException {
        String what = capitalized(purpose);
        X509CertificateHolder certificate = certificate(certificateFile, what);
        PrivateKeyInfo info = privateKey(keyFile, passphrase, passphraseSource, what, purpose);
        String keyAlgorithm = certificate.getSubjectPublicKeyInfo().getAlgorithm().getAlgorithm().getId();
        if (!algorithms.contains(keyAlgorithm)) {
            throw new SigningException(what + " certificate " + certificateFile + " has a " + keyAlgorithm + " key; "
                    + accepted + ".");
        }
        if (!publicKeyOf(info, keyFile, what).equals(certificate.getSubjectPublicKeyInfo())) {
            throw new SigningException(what + " key " + keyFile + " does not belong to certificate "
                    + certificateFile + " (" + certificate.getSubject() + "): their public keys differ.");
        }
        if (!certificate.isValidOn(Date.from(now))) {
            throw new SigningException(what + " certificate " + certificateFile + " is valid from "
                    + certificate.getNotBefore().toInstant() + " to " + certificate.getNotAfter().toInstant()
                    + ", not now (" + now + ").");
        }
        try {
            return new X509SigningKey(new JcaPEMKeyConverter().setProvider(PROVIDER).getPrivateKey(info), certificate,
                    keyAlgorithm.equals(RSA) ? "SHA256withRSA" : "SHA256withECDSA", keyFile, purpose);
        } catch (IOException e) {
            throw new SigningException(what + " key " + keyFile + " cannot be used: " + e.getMessage(), e);
        }
    }

    X509CertificateHolder certificate() {
        return certificate;
    }

    /** A signer of SHA-256 digests with this key (PKCS#1 v1.5 for RSA: deterministic). */
    ContentSigner contentSigner() throws SigningException {
        try {
            return new JcaContentSignerBuilder(algorithm).setProvider(PROVIDER).build(key);
        } catch (OperatorCreationException e) {
            throw new SigningException(capitalized(purpose) + " key " + keyFile + " could not sign: " + e.getMessage(),
                    e);
        }
    }

    Path keyFile() {
        return keyFile;
    }

    String subject() {
        return certificate.getSubject().toString();
    }

    String certificateSha256() throws IOException {
        return Digests.sha256(certificate.getEncoded());
    }

    private static X509CertificateHolder certificate(Path file, String what) throws SigningException {
        Object object = pem(file, what + " certificate");
        if (!(object instanceof X509CertificateHolder certificate)) {
            throw new SigningException(what + " certificate " + file + " holds no PEM X.509 certificate"
                    + " (-----BEGIN CERTIFICATE-----).");
        }
        return certificate;
    }

    private static PrivateKeyInfo privateKey(Path file, Optional<char[]> passphrase, String passphraseSource,
            String what, String purpose) throws SigningException {
        Object object = pem(file, what + " key");
        try {
            if (object instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
                char[] phrase = required(file, passphrase, passphraseSource, what);
                return encrypted.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder()
                        .setProvider(PROVIDER).build(phrase));
            }
            if (object instanceof PEMEncryptedKeyPair encrypted) {
                char[] phrase = required(file, passphrase, passphraseSource, what);
                return encrypted.decryptKeyPair(new JcePEMDecryptorProviderBuilder().setProvider(PROVIDER).build(phrase))
                        .getPrivateKeyInfo();
            }
        } catch (PKCSException | IOException | OperatorCreationException e) {
            throw new SigningException("The passphrase from " + passphraseSource + " does not unlock " + purpose
                    + " key " + file + ".", e);
        }
        if (object instanceof PEMKeyPair pair) {
            return pair.getPrivateKeyInfo();
        }
        if (object instanceof PrivateKeyInfo info) {
            return info;
        }
        throw new SigningException(what + " key " + file + " holds no PEM private key (PKCS#8 or OpenSSL's RSA or EC"
                + " form).");
    }

    private static char[] required(Path file, Optional<char[]> passphrase, String source, String what)
            throws SigningException {
        return passphrase.orElseThrow(() -> new SigningException(what + " key " + file + " is protected by a"
                + " passphrase; provide it through " + source + "."));
    }

    private static SubjectPublicKeyInfo publicKeyOf(PrivateKeyInfo info, Path file, String what)
            throws SigningException {
        try {
            PrivateKey key = new JcaPEMKeyConverter().setProvider(PROVIDER).getPrivateKey(info);
            PublicKey pub;
            if (key instanceof RSAPrivateCrtKey rsa) {
                pub = KeyFactory.getInstance("RSA").generatePublic(
                        new RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
            } else if (key instanceof ECPrivateKey ec) {
                var spec = ec.getParameters();
                pub = KeyFactory.getInstance("EC", PROVIDER).generatePublic(
                        new ECPublicKeySpec(spec.getG().multiply(ec.getD()).normalize(), spec));
            } else {
                throw new SigningException(what + " key " + file + " is a " + key.getAlgorithm()
                        + " key; use an RSA or an EC key.");
            }
            return SubjectPublicKeyInfo.getInstance(pub.getEncoded());
        } catch (IOException | GeneralSecurityException e) {
            throw new SigningException(what + " key " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static Object pem(Path file, String what) throws SigningException {
        byte[] bytes = OpenPgpFiles.read(file, OpenPgpFiles.MAX_KEY_FILE_BYTES, what);
        try (Reader reader = new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(reader)) {
            Object object = parser.readObject();
            if (object == null) {
                throw new SigningException(capitalized(what) + " " + file + " holds no PEM block.");
            }
            return object;
        } catch (IOException | RuntimeException e) {
            throw new SigningException(capitalized(what) + " " + file + " is not PEM: " + e.getMessage(), e);
        }
    }

    private static String capitalized(String text) {
        return Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }
}
