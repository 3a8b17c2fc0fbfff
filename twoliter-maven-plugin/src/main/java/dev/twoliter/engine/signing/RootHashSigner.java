package dev.twoliter.engine.signing;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

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
    private final X509SigningKey key;

    private RootHashSigner(X509SigningKey key) {
        this.key = key;
    }

    /** Reads the key and certificate ({@link X509SigningKey}); RSA or EC keys, which the kernel verifies. */
    public static RootHashSigner load(Path keyFile, Path certificateFile, Optional<char[]> passphrase,
            String passphraseSource, Instant now) throws SigningException {
        return new RootHashSigner(X509SigningKey.load("root hash signing", keyFile, certificateFile, passphrase,
                passphraseSource, now, Set.of(X509SigningKey.RSA, X509SigningKey.EC),
                "use an RSA or an EC key, which the kernel's PKCS#7 verification supports"));
    }

    /** The certificate's subject, for the build manifest and messages. */
    public String subject() {
        return key.subject();
    }

    /** The sha256 of the certificate's DER encoding. */
    public String certificateSha256() throws IOException {
        return key.certificateSha256();
    }

    /** The detached signature of {@code rootHash} (the hex string of the verity table), DER. */
    public byte[] sign(String rootHash) throws SigningException {
        byte[] content = rootHash.getBytes(StandardCharsets.US_ASCII);
        try {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder()
                    .setProvider(X509SigningKey.PROVIDER).build()).setDirectSignature(true)
                    .build(key.contentSigner(), key.certificate()));
            byte[] signature = generator.generate(new CMSProcessableByteArray(content), false).getEncoded("DER");
            if (!verifies(signature, rootHash, key.certificate())) {
                throw new SigningException("The root hash signature made with " + key.keyFile() + " does not verify.");
            }
            return signature;
        } catch (OperatorCreationException | CMSException | IOException e) {
            throw new SigningException("Root hash signing key " + key.keyFile() + " could not sign: " + e.getMessage(),
                    e);
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
                    && signer.verify(new JcaSimpleSignerInfoVerifierBuilder().setProvider(X509SigningKey.PROVIDER)
                            .build(certificate));
        } catch (CMSException | OperatorCreationException | java.security.cert.CertificateException e) {
            return false;
        }
    }
}
