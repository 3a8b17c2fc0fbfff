package dev.twoliter.engine.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DevelopmentKeysTest {
    @TempDir
    Path dir;

    @Test
    void secureBootKeysAreRsa2048SelfSignedPrivateAndNeverOverwritten() throws Exception {
        DevelopmentKeys.Written keys = DevelopmentKeys.generate(dir, "Vendor", Optional.empty(), Instant.now());

        assertThat(keys.secureBootCertificates()).containsOnlyKeys("pk", "kek", "db");
        for (String k : DevelopmentKeys.SECURE_BOOT_KEYS) {
            Path certificateFile = keys.secureBootCertificates().get(k);
            X509CertificateHolder holder;
            try (PEMParser parser = new PEMParser(new StringReader(Files.readString(certificateFile)))) {
                holder = (X509CertificateHolder) parser.readObject();
            }
            var certificate = new JcaX509CertificateConverter().getCertificate(holder);
            certificate.verify(certificate.getPublicKey());
            assertThat(((RSAPublicKey) certificate.getPublicKey()).getModulus().bitLength()).isEqualTo(2048);
            assertThat(holder.getSubject().toString()).isEqualTo("CN=Vendor Secure Boot " + (k.equals("db") ? "db"
                    : k.toUpperCase(java.util.Locale.ROOT)));
            Path key = DevelopmentKeys.keyOf(certificateFile);
            assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
        }
        assertThat(UUID.fromString(Files.readString(keys.secureBootOwner()).trim())).isNotNull();

        Files.delete(keys.secretKey());
        Files.delete(keys.publicKey());
        // One remaining key of the set is enough to refuse, and nothing is written then.
        assertThatThrownBy(() -> DevelopmentKeys.generate(dir, "Vendor", Optional.empty(), Instant.now()))
                .isInstanceOf(SigningException.class).hasMessageContaining("exists; generate-keys never overwrites");
        assertThat(keys.secretKey()).doesNotExist();
    }
}
