package dev.twoliter.engine.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.openssl.PEMParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Authenticode signing of EFI executables, on synthetic PE32+ files with the layout of a UKI
 * (sections, then a trailing symbol table), with keys from the plugin's own generator. Where
 * sbsigntool is installed, sbverify checks the result too (the invoker ITs always do).
 */
class SecureBootSignerTest {
    private static final int PE = 0x80;
    private static final int OPTIONAL = PE + 24;
    private static final int CERTIFICATE_ENTRY = OPTIONAL + 112 + 4 * 8;

    @TempDir
    static Path keys;

    static DevelopmentKeys.Written generated;
    static DevelopmentKeys.Written other;

    @BeforeAll
    static void generate() throws Exception {
        generated = DevelopmentKeys.generate(keys.resolve("one"), "Vendor", Optional.empty(), Instant.now());
        other = DevelopmentKeys.generate(keys.resolve("two"), "Other", Optional.of("pw".toCharArray()), Instant.now());
    }

    private static SecureBootSigner signer(DevelopmentKeys.Written keys) throws Exception {
        Path db = keys.secureBootCertificates().get("db");
        return SecureBootSigner.load(DevelopmentKeys.keyOf(db), db,
                keys.protectedByPassphrase() ? Optional.of("pw".toCharArray()) : Optional.empty(), "t", Instant.now());
    }

    private static X509CertificateHolder certificate(DevelopmentKeys.Written keys) throws Exception {
        try (PEMParser parser = new PEMParser(new StringReader(Files.readString(keys.secureBootCertificates()
                .get("db"))))) {
            return (X509CertificateHolder) parser.readObject();
        }
    }

    @Test
    void signsAnUnsignedExecutableSoThatItsCertificateVerifiesIt() throws Exception {
        byte[] image = uki(3501);
        byte[] signed = signer(generated).sign(image, "uki.efi");

        assertThat(SecureBootSigner.verifies(signed, certificate(generated))).isTrue();
        assertThat(SecureBootSigner.verifies(signed, certificate(other))).isFalse();
        assertThat(SecureBootSigner.verifies(image, certificate(generated))).as("unsigned").isFalse();
        // The original bytes are kept (padded to 8); the table follows and the directory points at it.
        ByteBuffer fields = le(signed);
        int table = fields.getInt(CERTIFICATE_ENTRY);
        assertThat(table).isEqualTo(3504);
        assertThat(Arrays.equals(Arrays.copyOf(signed, 3501), withFieldsOf(image, signed))).as("only the checksum"
                + " and the certificate table's entry changed").isTrue();
        assertThat(fields.getInt(CERTIFICATE_ENTRY + 4)).isEqualTo(signed.length - table).matches(n -> n % 8 == 0);
        assertThat(fields.getShort(table + 4)).isEqualTo((short) 0x0200);
        assertThat(fields.getShort(table + 6)).isEqualTo((short) 0x0002);
    }

    @Test
    void theSignatureIsAuthenticodesSignedDataWithoutASigningTime() throws Exception {
        byte[] signed = signer(generated).sign(uki(4000), "uki.efi");
        int table = le(signed).getInt(CERTIFICATE_ENTRY);
        int length = le(signed).getInt(table);
        CMSSignedData data = new CMSSignedData(Arrays.copyOfRange(signed, table + 8, table + length));

        assertThat(data.getSignedContentTypeOID()).isEqualTo("1.3.6.1.4.1.311.2.1.4");
        SignedData structure = SignedData.getInstance(data.toASN1Structure().getContent());
        assertThat(structure.getVersion().intValueExact()).isEqualTo(1);
        ASN1Sequence content = ASN1Sequence.getInstance(ContentInfo.getInstance(structure.getEncapContentInfo())
                .getContent());
        assertThat(content.size()).isEqualTo(2);
        SignerInformation signer = data.getSignerInfos().getSigners().iterator().next();
        assertThat(signer.getSignedAttributes().toHashtable().keySet()).extracting(Object::toString)
                .containsExactlyInAnyOrder("1.2.840.113549.1.9.3", "1.2.840.113549.1.9.4", "1.3.6.1.4.1.311.2.1.12");
        // The message digest covers the content's value octets, not its tag and length.
        byte[] digest = org.bouncycastle.asn1.ASN1OctetString.getInstance(signer.getSignedAttributes()
                .get(org.bouncycastle.asn1.cms.CMSAttributes.messageDigest).getAttrValues().getObjectAt(0)).getOctets();
        assertThat(digest).isEqualTo(MessageDigest.getInstance("SHA-256")
                .digest(SecureBootSigner.contentsOf(content)));
        assertThat(data.getCertificates().getMatches(null)).containsExactly(certificate(generated));
    }

    @Test
    void theSameFileAndKeyGiveTheSameBytes() throws Exception {
        assertThat(signer(generated).sign(uki(5000), "a")).isEqualTo(signer(generated).sign(uki(5000), "b"));
    }

    @Test
    void anyChangeToTheSignedPartsBreaksTheSignature() throws Exception {
        byte[] signed = signer(generated).sign(uki(3500), "uki.efi");
        int table = le(signed).getInt(CERTIFICATE_ENTRY);
        for (int at : new int[] {0x10, OPTIONAL + 4, 0x400, 0x900, 3100, table - 1}) {
            byte[] changed = signed.clone();
            changed[at] ^= 0x01;
            assertThat(SecureBootSigner.verifies(changed, certificate(generated))).as("byte %d", at).isFalse();
        }
        byte[] checksum = signed.clone();
        checksum[OPTIONAL + 64] ^= 0x01;
        assertThat(SecureBootSigner.verifies(checksum, certificate(generated))).as("the checksum is not signed")
                .isTrue();
        byte[] appended = Arrays.copyOf(signed, signed.length + 8);
        assertThat(SecureBootSigner.verifies(appended, certificate(generated))).isFalse();
    }

    @Test
    void refusesSignedExecutablesAndWhatIsNotOne() throws Exception {
        SecureBootSigner signer = signer(generated);
        byte[] signed = signer.sign(uki(3500), "uki.efi");
        assertThatThrownBy(() -> signer.sign(signed, "uki.efi")).isInstanceOf(SigningException.class)
                .hasMessageStartingWith("uki.efi already carries a signature (certificate table of");
        assertThatThrownBy(() -> signer.sign("MZ but nothing else".getBytes(), "notes.txt"))
                .isInstanceOf(SigningException.class)
                .hasMessageStartingWith("notes.txt cannot be signed for Secure Boot: not a PE image");
        byte[] outside = uki(3500);
        le(outside).putInt(OPTIONAL + 240 + 20, 0x7fff_0000);
        assertThatThrownBy(() -> signer.sign(outside, "uki.efi"))
                .hasMessageContaining("section 1 claims 1024 bytes at offset 2147418112 in a file of 3500 bytes");
        byte[] overlapping = uki(3500);
        le(overlapping).putInt(OPTIONAL + 240 + 40 + 20, 0x500);
        assertThatThrownBy(() -> signer.sign(overlapping, "uki.efi")).hasMessageContaining("sections overlap");
    }

    @Test
    void onlyRsaKeysThatFitTheirCertificateAreAccepted() throws Exception {
        Path db = generated.secureBootCertificates().get("db");
        assertThatThrownBy(() -> SecureBootSigner.load(DevelopmentKeys.keyOf(db), other.secureBootCertificates()
                .get("db"), Optional.empty(), "t", Instant.now()))
                .hasMessageStartingWith("Secure Boot signing key " + DevelopmentKeys.keyOf(db)
                        + " does not belong to certificate");
        Path otherDb = other.secureBootCertificates().get("db");
        assertThatThrownBy(() -> SecureBootSigner.load(DevelopmentKeys.keyOf(otherDb), otherDb, Optional.empty(),
                "the variable SB", Instant.now())).hasMessage("Secure Boot signing key " + DevelopmentKeys.keyOf(otherDb)
                        + " is protected by a passphrase; provide it through the variable SB.");
        Path ec = keys.resolve("ec");
        Files.createDirectories(ec);
        Process openssl = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
                "ec_paramgen_curve:P-256", "-nodes", "-keyout", "ec.key", "-out", "ec.crt", "-subj", "/CN=ec", "-days",
                "2").directory(ec.toFile()).redirectErrorStream(true).start();
        assumeTrue(openssl.waitFor(60, TimeUnit.SECONDS) && openssl.exitValue() == 0, "openssl makes an EC key");
        assertThatThrownBy(() -> SecureBootSigner.load(ec.resolve("ec.key"), ec.resolve("ec.crt"), Optional.empty(),
                "t", Instant.now())).hasMessageContaining("has a 1.2.840.10045.2.1 key; use an RSA key");
    }

    @Test
    void sbverifyAcceptsTheSignature() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/sbverify")), "sbsigntool is installed");
        Path file = Files.write(keys.resolve("signed.efi"), signer(generated).sign(uki(6000), "uki.efi"));
        assertThat(sbverify(generated.secureBootCertificates().get("db"), file)).isZero();
        assertThat(sbverify(other.secureBootCertificates().get("db"), file)).isNotZero();
    }

    private static int sbverify(Path certificate, Path file) throws Exception {
        Process p = new ProcessBuilder("sbverify", "--cert", certificate.toString(), file.toString())
                .redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    /** {@code image} with the checksum and the certificate table's directory entry of {@code signed}. */
    private static byte[] withFieldsOf(byte[] image, byte[] signed) {
        byte[] copy = image.clone();
        System.arraycopy(signed, OPTIONAL + 64, copy, OPTIONAL + 64, 4);
        System.arraycopy(signed, CERTIFICATE_ENTRY, copy, CERTIFICATE_ENTRY, 8);
        return copy;
    }

    /**
     * A PE32+ EFI application: headers up to 0x400, a .text section at 0x400 and a .data section at
     * 0x800 (1 KiB each), then trailing bytes as a stub's COFF symbol table leaves them; no certificate.
     */
    static byte[] uki(int length) {
        byte[] image = new byte[length];
        for (int i = 0; i < length; i++) {
            image[i] = (byte) (i * 31 + 7);
        }
        ByteBuffer b = le(image);
        Arrays.fill(image, 0x3c, 0x400, (byte) 0);
        b.put(0, (byte) 'M').put(1, (byte) 'Z').putInt(0x3c, PE);
        b.putInt(PE, 0x0000_4550).putShort(PE + 4, (short) 0x8664).putShort(PE + 6, (short) 2);
        b.putShort(PE + 20, (short) 240).putShort(OPTIONAL, (short) 0x20b);
        b.putInt(OPTIONAL + 60, 0x400); // SizeOfHeaders
        b.putInt(OPTIONAL + 108, 16); // NumberOfRvaAndSizes
        int sections = OPTIONAL + 240;
        for (int i = 0; i < 2; i++) {
            int header = sections + 40 * i;
            image[header] = '.';
            b.putInt(header + 16, 0x400).putInt(header + 20, 0x400 + 0x400 * i);
        }
        return image;
    }

    private static ByteBuffer le(byte[] image) {
        return ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
    }
}
