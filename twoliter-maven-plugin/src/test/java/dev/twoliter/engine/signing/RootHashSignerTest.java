package dev.twoliter.engine.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.openssl.PEMParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dm-verity root hash signature, with keys from the plugin's own generator. */
class RootHashSignerTest {
    private static final String ROOT_HASH = "9f".repeat(32);

    @TempDir
    static Path keys;

    static DevelopmentKeys.Written plain;
    static DevelopmentKeys.Written protectedKeys;

    @BeforeAll
    static void generate() throws Exception {
        plain = DevelopmentKeys.generate(keys.resolve("plain"), "Vendor", Optional.empty(), Instant.now());
        protectedKeys = DevelopmentKeys.generate(keys.resolve("protected"), "Vendor", Optional.of("pw-1".toCharArray()),
                Instant.now());
    }

    private static X509CertificateHolder certificate(Path file) throws Exception {
        try (PEMParser parser = new PEMParser(new StringReader(Files.readString(file)))) {
            return (X509CertificateHolder) parser.readObject();
        }
    }

    @Test
    void signsTheHexStringDetachedWithoutAttributesOrCertificatesAndReproducibly() throws Exception {
        RootHashSigner signer = RootHashSigner.load(plain.rootHashKey(), plain.rootHashCertificate(), Optional.empty(),
                "t", Instant.now());

        byte[] signature = signer.sign(ROOT_HASH);

        assertThat(signer.sign(ROOT_HASH)).isEqualTo(signature);
        assertThat(RootHashSigner.verifies(signature, ROOT_HASH, certificate(plain.rootHashCertificate()))).isTrue();
        assertThat(RootHashSigner.verifies(signature, "9e" + ROOT_HASH.substring(2),
                certificate(plain.rootHashCertificate()))).isFalse();
        assertThat(RootHashSigner.verifies(signature, ROOT_HASH, certificate(protectedKeys.rootHashCertificate())))
                .isFalse();
        CMSSignedData cms = new CMSSignedData(signature);
        assertThat(cms.isDetachedSignature()).isTrue();
        assertThat(cms.getCertificates().getMatches(null)).isEmpty();
        assertThat(cms.getSignerInfos().getSigners().iterator().next().getSignedAttributes()).isNull();
        assertThat(signer.subject()).isEqualTo("CN=Vendor root hash signing");
        assertThat(signer.certificateSha256()).matches("[0-9a-f]{64}");
    }

    @Test
    void anEncryptedKeyNeedsItsPassphrase() throws Exception {
        assertThat(Files.readString(protectedKeys.rootHashKey())).contains("BEGIN ENCRYPTED PRIVATE KEY");
        assertThatThrownBy(() -> RootHashSigner.load(protectedKeys.rootHashKey(), protectedKeys.rootHashCertificate(),
                Optional.empty(), "the variable Y", Instant.now())).isInstanceOf(SigningException.class)
                .hasMessageContaining("is protected by a passphrase; provide it through the variable Y.");
        assertThatThrownBy(() -> RootHashSigner.load(protectedKeys.rootHashKey(), protectedKeys.rootHashCertificate(),
                Optional.of("wrong".toCharArray()), "the variable Y", Instant.now()))
                .hasMessageContaining("The passphrase from the variable Y does not unlock root hash signing key");
        RootHashSigner signer = RootHashSigner.load(protectedKeys.rootHashKey(), protectedKeys.rootHashCertificate(),
                Optional.of("pw-1".toCharArray()), "the variable Y", Instant.now());
        assertThat(RootHashSigner.verifies(signer.sign(ROOT_HASH), ROOT_HASH,
                certificate(protectedKeys.rootHashCertificate()))).isTrue();
    }

    @Test
    void aKeyAndACertificateThatDoNotBelongTogetherAreRefused() throws Exception {
        assertThatThrownBy(() -> RootHashSigner.load(plain.rootHashKey(), protectedKeys.rootHashCertificate(),
                Optional.empty(), "t", Instant.now()))
                .hasMessageContaining("does not belong to certificate " + protectedKeys.rootHashCertificate());
    }

    @Test
    void wrongFilesAndAnExpiredCertificateAreRefused() throws Exception {
        assertThatThrownBy(() -> RootHashSigner.load(plain.rootHashCertificate(), plain.rootHashCertificate(),
                Optional.empty(), "t", Instant.now())).hasMessageContaining("holds no PEM private key");
        assertThatThrownBy(() -> RootHashSigner.load(plain.rootHashKey(), plain.rootHashKey(), Optional.empty(), "t",
                Instant.now())).hasMessageContaining("holds no PEM X.509 certificate");
        assertThatThrownBy(() -> RootHashSigner.load(plain.rootHashKey(), plain.secretKey(), Optional.empty(), "t",
                Instant.now())).isInstanceOf(SigningException.class);
        assertThatThrownBy(() -> RootHashSigner.load(plain.rootHashKey(), plain.rootHashCertificate(), Optional.empty(),
                "t", Instant.now().plus(Duration.ofDays(3651)))).hasMessageContaining(", not now (");
    }
}
