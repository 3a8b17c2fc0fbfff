package dev.twoliter.engine.signing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.Hashtable;
import java.util.Optional;
import java.util.Set;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.DERBMPString;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.DERSet;
import org.bouncycastle.asn1.DERTaggedObject;
import org.bouncycastle.asn1.cms.Attribute;
import org.bouncycastle.asn1.cms.AttributeTable;
import org.bouncycastle.asn1.cms.CMSAttributes;
import org.bouncycastle.asn1.cms.CMSObjectIdentifiers;
import org.bouncycastle.asn1.cms.ContentInfo;
import org.bouncycastle.asn1.cms.SignedData;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.DigestInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSAttributeTableGenerator;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.CMSSignedDataGenerator;
import org.bouncycastle.cms.CMSTypedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSignerInfoGeneratorBuilder;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;

/**
 * Signs EFI executables for UEFI Secure Boot: an Authenticode signature, as sbsign and osslsigncode
 * write it, embedded in the PE file's certificate table. The firmware hashes the file the
 * Authenticode way (everything but the checksum, the certificate table's directory entry and the
 * table itself) and checks a PKCS#7 signature over that hash against the certificates enrolled in
 * its {@code db}.
 *
 * <p>The signature is deterministic: RSA PKCS#1 v1.5 has no randomness, and the signed attributes
 * are only the content type, the message digest and an empty SpcSpOpusInfo (no signing time, which
 * sbsign takes from the wall clock), so the same file and key give the same bytes. Only RSA keys:
 * that is what UEFI firmware verifies.
 */
public final class SecureBootSigner {
    static final ASN1ObjectIdentifier SPC_INDIRECT_DATA = new ASN1ObjectIdentifier("1.3.6.1.4.1.311.2.1.4");
    static final ASN1ObjectIdentifier SPC_PE_IMAGE_DATA = new ASN1ObjectIdentifier("1.3.6.1.4.1.311.2.1.15");
    static final ASN1ObjectIdentifier SPC_SP_OPUS_INFO = new ASN1ObjectIdentifier("1.3.6.1.4.1.311.2.1.12");
    /** WIN_CERTIFICATE: dwLength (4), wRevision 2.0 (2), wCertificateType PKCS_SIGNED_DATA (2). */
    static final int WIN_CERTIFICATE_HEADER = 8;
    static final int WIN_CERT_REVISION_2_0 = 0x0200;
    static final int WIN_CERT_TYPE_PKCS_SIGNED_DATA = 0x0002;
    /** Larger than any EFI binary a disk image boots (a UKI with its kernel is tens of MiB at most). */
    static final int MAX_IMAGE_BYTES = 512 << 20;

    private final X509SigningKey key;

    private SecureBootSigner(X509SigningKey key) {
        this.key = key;
    }

    /** Reads the db key and its certificate ({@link X509SigningKey}); RSA keys only. */
    public static SecureBootSigner load(Path keyFile, Path certificateFile, Optional<char[]> passphrase,
            String passphraseSource, Instant now) throws SigningException {
        return new SecureBootSigner(X509SigningKey.load("Secure Boot signing", keyFile, certificateFile, passphrase,
                passphraseSource, now, Set.of(X509SigningKey.RSA),
                "use an RSA key (2048 bits or more), which is what UEFI firmware verifies"));
    }

    /** The certificate's subject, for the build manifest and messages. */
    public String subject() {
        return key.subject();
    }

    /** The sha256 of the certificate's DER encoding. */
    public String certificateSha256() throws IOException {
        return key.certificateSha256();
    }

    /**
     * The signed copy of the unsigned EFI executable {@code image} ({@code what} names it in
     * messages): padded to 8 bytes, with the certificate table appended and the checksum updated.
     */
    public byte[] sign(byte[] image, String what) throws SigningException {
        if (image.length > MAX_IMAGE_BYTES) {
            throw new SigningException(what + " is " + image.length + " bytes, more than the " + MAX_IMAGE_BYTES
                    + " an EFI executable may have here; refusing to sign it.");
        }
        PeLayout layout = layout(image, what);
        long[] table = layout.certificateTable(image);
        if (table[0] != 0 || table[1] != 0) {
            throw new SigningException(what + " already carries a signature (certificate table of " + table[1]
                    + " bytes at offset " + table[0] + "); the image steps hand over unsigned executables, so this"
                    + " one came from elsewhere. Install an unsigned one.");
        }
        byte[] padded = Arrays.copyOf(image, align8(image.length));
        byte[] pkcs7 = signature(imageHash(padded, layout, padded.length));
        byte[] signed = withCertificateTable(padded, layout, pkcs7);
        if (!verifies(signed, key.certificate())) {
            throw new SigningException("The Secure Boot signature of " + what + " made with " + key.keyFile()
                    + " does not verify.");
        }
        return signed;
    }

    /**
     * Whether {@code signed} carries exactly one Authenticode signature, by {@code certificate}, over
     * its current contents.
     */
    public static boolean verifies(byte[] signed, X509CertificateHolder certificate) {
        try {
            PeLayout layout = PeLayout.of(signed);
            long[] table = layout.certificateTable(signed);
            if (table[0] == 0 || table[0] + table[1] != signed.length || table[1] < WIN_CERTIFICATE_HEADER
                    || table[0] < layout.endOfSections()) {
                return false;
            }
            int at = (int) table[0];
            var buffer = PeLayout.le(signed);
            long length = Integer.toUnsignedLong(buffer.getInt(at));
            if (length < WIN_CERTIFICATE_HEADER || length > table[1]
                    || Short.toUnsignedInt(buffer.getShort(at + 4)) != WIN_CERT_REVISION_2_0
                    || Short.toUnsignedInt(buffer.getShort(at + 6)) != WIN_CERT_TYPE_PKCS_SIGNED_DATA) {
                return false;
            }
            byte[] pkcs7 = Arrays.copyOfRange(signed, at + WIN_CERTIFICATE_HEADER, (int) (at + length));
            CMSSignedData data = new CMSSignedData(pkcs7);
            if (!SPC_INDIRECT_DATA.equals(data.getSignedContentTypeOID() == null ? null
                    : new ASN1ObjectIdentifier(data.getSignedContentTypeOID()))) {
                return false;
            }
            ASN1Sequence content = ASN1Sequence.getInstance(
                    ContentInfo.getInstance(SignedData.getInstance(data.toASN1Structure().getContent())
                            .getEncapContentInfo()).getContent());
            DigestInfo digest = DigestInfo.getInstance(content.getObjectAt(1));
            byte[] expected = imageHash(signed, layout, table[0]);
            if (!NISTObjectIdentifiers.id_sha256.equals(digest.getAlgorithmId().getAlgorithm())
                    || !MessageDigest.isEqual(expected, digest.getDigest())) {
                return false;
            }
            Collection<SignerInformation> signers = new CMSSignedData(new CMSProcessableByteArray(
                    SPC_INDIRECT_DATA, contentsOf(content)), pkcs7).getSignerInfos().getSigners();
            if (signers.size() != 1) {
                return false;
            }
            SignerInformation signer = signers.iterator().next();
            return signer.getSID().match(certificate) && signer.verify(new JcaSimpleSignerInfoVerifierBuilder()
                    .setProvider(X509SigningKey.PROVIDER).build(certificate));
        } catch (RuntimeException | CMSException | OperatorCreationException | IOException
                | java.security.cert.CertificateException e) {
            return false;
        }
    }

    private static PeLayout layout(byte[] image, String what) throws SigningException {
        try {
            return PeLayout.of(image);
        } catch (IllegalArgumentException e) {
            throw new SigningException(what + " cannot be signed for Secure Boot: " + e.getMessage() + ".", e);
        }
    }

    /**
     * The Authenticode hash: the headers without the checksum and the certificate table's entry, the
     * sections in file order, then what follows them up to {@code end} (the certificate table, or the
     * end of the file). The trailing bytes count: a UKI's stub carries a COFF symbol table there.
     */
    static byte[] imageHash(byte[] image, PeLayout layout, long end) {
        MessageDigest sha256 = sha256();
        int checksum = layout.checksumOffset();
        int entry = layout.certificateEntryOffset();
        int headers = (int) layout.sizeOfHeaders();
        sha256.update(image, 0, checksum);
        sha256.update(image, checksum + 4, entry - (checksum + 4));
        sha256.update(image, entry + 8, headers - (entry + 8));
        long hashed = headers;
        for (PeLayout.Section section : layout.sections()) {
            sha256.update(image, (int) section.offset(), (int) section.size());
            hashed = section.offset() + section.size();
        }
        if (end > hashed) {
            sha256.update(image, (int) hashed, (int) (end - hashed));
        }
        return sha256.digest();
    }

    /** The DER PKCS#7 SignedData over the SpcIndirectDataContent that carries {@code imageHash}. */
    private byte[] signature(byte[] imageHash) throws SigningException {
        ASN1Sequence indirect = indirectDataContent(imageHash);
        byte[] signedBytes;
        try {
            signedBytes = contentsOf(indirect);
        } catch (IOException e) {
            throw new IllegalStateException("DER encoding in memory cannot fail", e);
        }
        CMSTypedData content = new CMSTypedData() {
            @Override
            public ASN1ObjectIdentifier getContentType() {
                return SPC_INDIRECT_DATA;
            }

            // Authenticode's one departure from CMS: the message digest covers the content's value
            // octets, without the SEQUENCE's tag and length.
            @Override
            public void write(OutputStream out) throws IOException {
                out.write(signedBytes);
            }

            @Override
            public Object getContent() {
                return signedBytes.clone();
            }
        };
        try {
            CMSSignedDataGenerator generator = new CMSSignedDataGenerator();
            generator.addSignerInfoGenerator(new JcaSignerInfoGeneratorBuilder(new JcaDigestCalculatorProviderBuilder()
                    .setProvider(X509SigningKey.PROVIDER).build())
                    .setSignedAttributeGenerator(new AuthenticodeAttributes())
                    .build(key.contentSigner(), key.certificate()));
            generator.addCertificate(key.certificate());
            SignedData detached = SignedData.getInstance(generator.generate(content, false).toASN1Structure()
                    .getContent());
            // The encapsulated content is the SpcIndirectDataContent itself, not an OCTET STRING of it,
            // and SignedData is version 1, as Authenticode defines it.
            ASN1EncodableVector signedData = new ASN1EncodableVector();
            signedData.add(new ASN1Integer(1));
            signedData.add(detached.getDigestAlgorithms());
            signedData.add(new ContentInfo(SPC_INDIRECT_DATA, indirect));
            signedData.add(new DERTaggedObject(false, 0, detached.getCertificates()));
            signedData.add(detached.getSignerInfos());
            return new ContentInfo(CMSObjectIdentifiers.signedData, new DERSequence(signedData))
                    .getEncoded(ASN1Encoding.DER);
        } catch (OperatorCreationException | CMSException | IOException e) {
            throw new SigningException("Secure Boot signing key " + key.keyFile() + " could not sign: "
                    + e.getMessage(), e);
        }
    }

    /**
     * SpcIndirectDataContent: the PE image data marker (no page hashes; the file link is the
     * "&lt;&lt;&lt;Obsolete&gt;&gt;&gt;" string every signing tool writes) and the SHA-256 image hash.
     */
    static ASN1Sequence indirectDataContent(byte[] imageHash) {
        ASN1Encodable obsolete = new DERTaggedObject(true, 0, new DERTaggedObject(true, 2,
                new DERTaggedObject(false, 0, new DERBMPString("<<<Obsolete>>>"))));
        ASN1Sequence peImageData = new DERSequence(new ASN1Encodable[] {new DERBitString(new byte[0]), obsolete});
        ASN1Sequence data = new DERSequence(new ASN1Encodable[] {SPC_PE_IMAGE_DATA, peImageData});
        DigestInfo digest = new DigestInfo(new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256, DERNull.INSTANCE),
                imageHash);
        return new DERSequence(new ASN1Encodable[] {data, digest});
    }

    /** The DER value octets of {@code sequence}: its elements' encodings, without its own tag and length. */
    static byte[] contentsOf(ASN1Sequence sequence) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ASN1Encodable element : sequence) {
            out.write(element.toASN1Primitive().getEncoded(ASN1Encoding.DER));
        }
        return out.toByteArray();
    }

    private static byte[] withCertificateTable(byte[] padded, PeLayout layout, byte[] pkcs7) {
        int length = WIN_CERTIFICATE_HEADER + pkcs7.length;
        int tableSize = align8(length);
        byte[] signed = Arrays.copyOf(padded, padded.length + tableSize);
        var buffer = PeLayout.le(signed);
        buffer.putInt(padded.length, length);
        buffer.putShort(padded.length + 4, (short) WIN_CERT_REVISION_2_0);
        buffer.putShort(padded.length + 6, (short) WIN_CERT_TYPE_PKCS_SIGNED_DATA);
        System.arraycopy(pkcs7, 0, signed, padded.length + WIN_CERTIFICATE_HEADER, pkcs7.length);
        buffer.putInt(layout.certificateEntryOffset(), padded.length);
        buffer.putInt(layout.certificateEntryOffset() + 4, tableSize);
        PeLayout.updateChecksum(signed);
        return signed;
    }

    private static int align8(int length) {
        return (length + 7) & ~7;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** Exactly the attributes Authenticode needs; in particular no signing time. */
    private static final class AuthenticodeAttributes implements CMSAttributeTableGenerator {
        @Override
        public AttributeTable getAttributes(java.util.Map params) {
            Hashtable<ASN1ObjectIdentifier, Attribute> attributes = new Hashtable<>();
            attributes.put(CMSAttributes.contentType, new Attribute(CMSAttributes.contentType,
                    new DERSet(SPC_INDIRECT_DATA)));
            attributes.put(CMSAttributes.messageDigest, new Attribute(CMSAttributes.messageDigest,
                    new DERSet(new DEROctetString((byte[]) params.get(CMSAttributeTableGenerator.DIGEST)))));
            attributes.put(SPC_SP_OPUS_INFO, new Attribute(SPC_SP_OPUS_INFO, new DERSet(new DERSequence())));
            return new AttributeTable(attributes);
        }
    }
}
