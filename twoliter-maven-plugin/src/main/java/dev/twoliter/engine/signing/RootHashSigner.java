package dev.twoliter.engine.signing;

import dev.twoliter.engine.io.Digests;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.time.Instant;
import java.util.Collection;
import java.util.Date;
import java.util.Optional;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Signs a dm-verity root hash the way the kernel checks it with {@code root_hash_sig_key_desc}
 * (CONFIG_DM_VERITY_VERIFY_ROOTHASH_SIG): a detached PKCS#7 (CMS) signature in DER over the root
 * hash as the hex string the verity table carries, with no signed attributes and no certificates
 * inside (what {@code openssl smime -sign -binary -noattr -nocerts} writes); the kernel finds the
 * certificate in its trusted keyrings. Without signed attributes there is no signing time, and
 * RSA signatures (PKCS#1 v1.5) are deterministic, so the same root hash and key give the same
 * bytes; ECDSA signatures are randomized by their scheme.
 */
public final class RootHashSigner {
    private static final BouncyCastleProvider PROVIDER = new BouncyCastleProvider();

    private final PrivateKey key;
    private final X509CertificateHolder certificate;
    private final String algorithm;
    private final Path keyFile;

    private RootHashSigner(PrivateKey key, X509CertificateHolder certificate, String algorithm, Path keyFile) {
        this.key = key;
        this.certificate = certificate;
        this.algorithm = algorithm;
        this.keyFile = keyFile;
    }

    /**
     * Reads a PEM private key (PKCS#8, encrypted PKCS#8 or OpenSSL's traditional form; RSA or EC)
     * and the PEM X.509 certificate of its public key, and checks that they belong together and
     * that the certificate is valid {@code now} (the kernel does not check validity periods, but
     * signing with an expired certificate is a mistake).
     */
    public static RootHashSigner load(Path keyFile, Path certificateFile, Optional<char[]> passphrase,
            String passphraseSource, Instant now) throws SigningException {
        X509CertificateHolder certificate = certificate(certificateFile);
        PrivateKeyInfo info = privateKey(keyFile, passphrase, passphraseSource);
        if (!publicKeyOf(info, keyFile).equals(certificate.getSubjectPublicKeyInfo())) {
            throw new SigningException("Root hash signing key " + keyFile + " does not belong to certificate "
                    + certificateFile + " (" + certificate.getSubject() + "): their public keys differ.");
        }
        String algorithm = switch (certificate.getSubjectPublicKeyInfo().getAlgorithm().getAlgorithm().getId()) {
            case "1.2.840.113549.1.1.1" -> "SHA256withRSA";
            case "1.2.840.10045.2.1" -> "SHA256withECDSA";
            default -> throw new SigningException("Root hash signing certificate " + certificateFile + " has a "
                    + certificate.getSubjectPublicKeyInfo().getAlgorithm().getAlgorithm().getId() + " key; use an RSA"
                    + " or an EC key, which the kernel's PKCS#7 verification supports.");
        };
        if (!certificate.isValidOn(Date.from(now))) {
            throw new SigningException("Root hash signing certificate " + certificateFile + " is valid from "
                    + certificate.getNotBefore().toInstant() + " to " + certificate.getNotAfter().toInstant()
                    + ", not now (" + now + ").");
        }
        try {
            return new RootHashSigner(new JcaPEMKeyConverter().setProvider(PROVIDER).getPrivateKey(info), certificate,
                    algorithm, keyFile);
        } catch (IOException e) {
            throw new SigningException("Root hash signing key " + keyFile + " cannot be used: " + e.getMessage(), e);
        }
    }

    private static X509CertificateHolder certificate(Path file) throws SigningException {
        Object object = pem(file, "root hash signing certificate");
        if (!(object instanceof X509CertificateHolder certificate)) {
            throw new SigningException("Root hash signing certificate " + file + " holds no PEM X.509 certificate"
                    + " (-----BEGIN CERTIFICATE-----).");
        }
        return certificate;
    }

    private static PrivateKeyInfo privateKey(Path file, Optional<char[]> passphrase, String passphraseSource)
            throws SigningException {
        Object object = pem(file, "root hash signing key");
        try {
            if (object instanceof PKCS8EncryptedPrivateKeyInfo encrypted) {
                char[] phrase = required(file, passphrase, passphraseSource);
                return encrypted.decryptPrivateKeyInfo(new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(PROVIDER)
                        .build(phrase));
            }
            if (object instanceof PEMEncryptedKeyPair encrypted) {
                char[] phrase = required(file, passphrase, passphraseSource);
                return encrypted.decryptKeyPair(new JcePEMDecryptorProviderBuilder().setProvider(PROVIDER).build(phrase))
                        .getPrivateKeyInfo();
            }
        } catch (PKCSException | IOException | OperatorCreationException e) {
            throw new SigningException("The passphrase from " + passphraseSource + " does not unlock root hash signing"
                    + " key " + file + ".", e);
        }
        if (object instanceof PEMKeyPair pair) {
            return pair.getPrivateKeyInfo();
        }
        if (object instanceof PrivateKeyInfo info) {
            return info;
        }
        throw new SigningException("Root hash signing key " + file + " holds no PEM private key (PKCS#8 or OpenSSL's"
                + " RSA or EC form).");
    }

    private static char[] required(Path file, Optional<char[]> passphrase, String source) throws SigningException {
        return passphrase.orElseThrow(() -> new SigningException("Root hash signing key " + file + " is protected by"
                + " a passphrase; provide it through " + source + "."));
    }

    private static org.bouncycastle.asn1.x509.SubjectPublicKeyInfo publicKeyOf(PrivateKeyInfo info, Path file)
            throws SigningException {
        try {
            java.security.PrivateKey key = new JcaPEMKeyConverter().setProvider(PROVIDER).getPrivateKey(info);
            java.security.PublicKey pub;
            if (key instanceof java.security.interfaces.RSAPrivateCrtKey rsa) {
                pub = java.security.KeyFactory.getInstance("RSA").generatePublic(
                        new java.security.spec.RSAPublicKeySpec(rsa.getModulus(), rsa.getPublicExponent()));
            } else if (key instanceof org.bouncycastle.jce.interfaces.ECPrivateKey ec) {
                var spec = ec.getParameters();
                var point = spec.getG().multiply(ec.getD()).normalize();
                pub = java.security.KeyFactory.getInstance("EC", PROVIDER).generatePublic(
                        new org.bouncycastle.jce.spec.ECPublicKeySpec(point, spec));
            } else {
                throw new SigningException("Root hash signing key " + file + " is a " + key.getAlgorithm()
                        + " key; use an RSA or an EC key.");
            }
            return org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(pub.getEncoded());
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new SigningException("Root hash signing key " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    private static Object pem(Path file, String what) throws SigningException {
        byte[] bytes = OpenPgpFiles.read(file, OpenPgpFiles.MAX_KEY_FILE_BYTES, what);
        try (Reader reader = new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(reader)) {
            Object object = parser.readObject();
            if (object == null) {
                throw new SigningException(Character.toUpperCase(what.charAt(0)) + what.substring(1) + " " + file
                        + " holds no PEM block.");
            }
            return object;
        } catch (IOException | RuntimeException e) {
            throw new SigningException(Character.toUpperCase(what.charAt(0)) + what.substring(1) + " " + file
                    + " is not PEM: " + e.getMessage(), e);
        }
    }

    /** The certificate's subject, for the build manifest and messages. */
    public String subject() {
        return certificate.getSubject().toString();
    }

    /** The sha256 of the certificate's DER encoding. */
    public String certificateSha256() throws IOException {
        return Digests.sha256(certificate.getEncoded());
    }

    /** The detached signature of {@code rootHash} (the hex string of the verity table), DER. */
    public byte[] sign(String rootHash) throws SigningException {
        byte[] content = rootHash.getBytes(StandardCharsets.US_ASCII);
        try {
            ContentSigner signer = new JcaContentSignerBuilder(algorithm).setProvider(PROVIDER).build(key);
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder()
                    .setProvider(PROVIDER).build()).setDirectSignature(true).build(signer, certificate));
            byte[] signature = generator.generate(new CMSProcessableByteArray(content), false).getEncoded("DER");
            if (!verifies(signature, rootHash, certificate)) {
                throw new SigningException("The root hash signature made with " + keyFile + " does not verify.");
            }
            return signature;
        } catch (OperatorCreationException | CMSException | IOException e) {
            throw new SigningException("Root hash signing key " + keyFile + " could not sign: " + e.getMessage(), e);
        }
    }

    /** Whether {@code signature} is {@code certificate}'s signature of {@code rootHash}. */
    static boolean verifies(byte[] signature, String rootHash, X509CertificateHolder certificate) {
        try {
            CMSSignedData data = new CMSSignedData(new CMSProcessableByteArray(rootHash.getBytes(StandardCharsets.US_ASCII)),
                    signature);
            Collection<SignerInformation> signers = data.getSignerInfos().getSigners();
            if (signers.size() != 1) {
                return false;
            }
            SignerInformation signer = signers.iterator().next();
            return signer.getSignedAttributes() == null && signer.getSID().match(certificate)
                    && signer.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(PROVIDER).build(certificate));
        } catch (CMSException | OperatorCreationException | java.security.cert.CertificateException e) {
            return false;
        }
    }
}
