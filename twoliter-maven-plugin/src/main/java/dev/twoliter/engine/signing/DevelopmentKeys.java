package dev.twoliter.engine.signing;

import dev.twoliter.engine.Syntax;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.bouncycastle.openpgp.api.SignatureParameters;

/**
 * Creates development signing keys: the kit signing key, an OpenPGP key whose Ed25519 primary key
 * only certifies and whose Ed25519 subkey signs (both in the v4 form every OpenPGP implementation
 * reads, gpg included), as an armored secret and an armored public key; the root hash signing key,
 * RSA-3072 as PKCS#8 PEM with a self-signed X.509 certificate (PEM); and Secure Boot's PK, KEK and
 * db, RSA-2048 with self-signed certificates, and an owner GUID to enroll them under. Existing
 * files are never overwritten.
 */
public final class DevelopmentKeys {
    public static final String SECRET_KEY_FILE = "kit-signing-key.asc";
    public static final String PUBLIC_KEY_FILE = "kit-signing-key.pub.asc";
    public static final String ROOT_HASH_KEY_FILE = "root-hash-signing.key";
    public static final String ROOT_HASH_CERTIFICATE_FILE = "root-hash-signing.crt";
    /** Secure Boot's three keys, in the order they are enrolled: the platform key, the key exchange key, the db. */
    public static final List<String> SECURE_BOOT_KEYS = List.of("pk", "kek", "db");
    public static final String SECURE_BOOT_OWNER_FILE = "secure-boot-owner.guid";

    /**
     * What was written. {@code secureBootCertificates}: the certificate of each of {@link
     * #SECURE_BOOT_KEYS} (its key is beside it, {@code .key} for {@code .crt}); {@code
     * secureBootOwner}: the owner GUID to enroll them under.
     */
    public record Written(Path secretKey, Path publicKey, String fingerprint, Path rootHashKey,
            Path rootHashCertificate, java.util.Map<String, Path> secureBootCertificates, Path secureBootOwner,
            boolean protectedByPassphrase) {}

    private DevelopmentKeys() {}

    /**
     * Writes both files into {@code directory} (created if missing); {@code passphrase} empty leaves
     * the secret key unprotected.
     */
    public static Written generate(Path directory, String userId, Optional<char[]> passphrase, Instant now)
            throws SigningException, IOException {
        if (!Syntax.isOneLine(userId, 256) || userId.isBlank()) {
            throw new SigningException("The key's user id " + Syntax.show(userId) + " must be one line of 1 to 256"
                    + " printable characters.");
        }
        Path secret = directory.resolve(SECRET_KEY_FILE);
        Path pub = directory.resolve(PUBLIC_KEY_FILE);
        Path rootKey = directory.resolve(ROOT_HASH_KEY_FILE);
        Path rootCertificate = directory.resolve(ROOT_HASH_CERTIFICATE_FILE);
        java.util.Map<String, Path> secureBoot = new java.util.LinkedHashMap<>();
        SECURE_BOOT_KEYS.forEach(k -> secureBoot.put(k, directory.resolve("secure-boot-" + k + ".crt")));
        Path owner = directory.resolve(SECURE_BOOT_OWNER_FILE);
        List<Path> files = new java.util.ArrayList<>(List.of(secret, pub, rootKey, rootCertificate, owner));
        secureBoot.values().forEach(files::add);
        secureBoot.values().forEach(c -> files.add(keyOf(c)));
        for (Path existing : files) {
            if (Files.exists(existing)) {
                throw new SigningException(existing + " exists; generate-keys never overwrites a key. Move it away"
                        + " or choose another directory.");
            }
        }
        OpenPGPKey key;
        try {
            key = OpenPgpFiles.api().generateKey(4, Date.from(now))
                    .withPrimaryKey(g -> g.generateLegacyEd25519KeyPair(), new SignatureParameters.Callback() {})
                    .addSigningSubkey(g -> g.generateLegacyEd25519KeyPair())
                    .addUserId(userId)
                    .build(passphrase.map(char[]::clone).orElse(null)); // the generator wipes what it is given
        } catch (PGPException | RuntimeException e) {
            throw new SigningException("Could not generate the kit signing key: " + e.getMessage(), e);
        }
        X509Keys x509 = x509(userId + " root hash signing", 3072, passphrase.map(char[]::clone), now);
        java.util.Map<String, X509Keys> secureBootKeys = new java.util.LinkedHashMap<>();
        for (String k : SECURE_BOOT_KEYS) {
            // RSA-2048: the size the UEFI specification requires firmware to support for PK, KEK and db.
            secureBootKeys.put(k, x509(userId + " Secure Boot " + (k.equals("db") ? "db" : k.toUpperCase(
                    java.util.Locale.ROOT)), 2048, passphrase.map(char[]::clone), now));
        }
        Files.createDirectories(directory);
        List<Path> written = new java.util.ArrayList<>();
        try {
            writeNew(secret, key.toAsciiArmoredString(), true, written);
            writeNew(pub, key.toCertificate().toAsciiArmoredString(), false, written);
            writeNew(rootKey, x509.key(), true, written);
            writeNew(rootCertificate, x509.certificate(), false, written);
            for (String k : SECURE_BOOT_KEYS) {
                writeNew(keyOf(secureBoot.get(k)), secureBootKeys.get(k).key(), true, written);
                writeNew(secureBoot.get(k), secureBootKeys.get(k).certificate(), false, written);
            }
            writeNew(owner, java.util.UUID.randomUUID() + "\n", false, written);
        } catch (IOException e) {
            for (Path file : written) {
                Files.deleteIfExists(file);
            }
            throw e;
        }
        return new Written(secret, pub, OpenPgpFiles.hex(key.getFingerprint()), rootKey, rootCertificate,
                java.util.Map.copyOf(secureBoot), owner, passphrase.isPresent());
    }

    /** The private key beside a certificate: {@code x.key} for {@code x.crt}. */
    public static Path keyOf(Path certificate) {
        String name = certificate.getFileName().toString();
        return certificate.resolveSibling(name.substring(0, name.length() - ".crt".length()) + ".key");
    }

    private record X509Keys(String key, String certificate) {}

    /** An RSA key (PKCS#8 PEM, encrypted with AES-256 if there is a passphrase) and its self-signed certificate. */
    private static X509Keys x509(String commonName, int bits, Optional<char[]> passphrase, Instant now)
            throws SigningException {
        try {
            java.security.KeyPairGenerator generator = java.security.KeyPairGenerator.getInstance("RSA");
            generator.initialize(bits);
            java.security.KeyPair pair = generator.generateKeyPair();
            org.bouncycastle.asn1.x500.X500Name name = new org.bouncycastle.asn1.x500.X500NameBuilder(
                    org.bouncycastle.asn1.x500.style.BCStyle.INSTANCE)
                    .addRDN(org.bouncycastle.asn1.x500.style.BCStyle.CN, commonName).build();
            java.math.BigInteger serial = new java.math.BigInteger(64, new java.security.SecureRandom());
            var builder = new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(name, serial,
                    Date.from(now.minus(java.time.Duration.ofHours(1))),
                    Date.from(now.plus(java.time.Duration.ofDays(3650))), name, pair.getPublic());
            var extensions = new org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils();
            builder.addExtension(org.bouncycastle.asn1.x509.Extension.basicConstraints, true,
                    new org.bouncycastle.asn1.x509.BasicConstraints(false));
            builder.addExtension(org.bouncycastle.asn1.x509.Extension.keyUsage, true,
                    new org.bouncycastle.asn1.x509.KeyUsage(org.bouncycastle.asn1.x509.KeyUsage.digitalSignature));
            builder.addExtension(org.bouncycastle.asn1.x509.Extension.subjectKeyIdentifier, false,
                    extensions.createSubjectKeyIdentifier(pair.getPublic()));
            var certificate = builder.build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withRSA")
                    .build(pair.getPrivate()));
            java.io.StringWriter keyText = new java.io.StringWriter();
            try (var pem = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(keyText)) {
                if (passphrase.isPresent()) {
                    var encryptor = new org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder(
                            org.bouncycastle.openssl.PKCS8Generator.AES_256_CBC)
                            .setProvider(new org.bouncycastle.jce.provider.BouncyCastleProvider())
                            .setPassword(passphrase.get()).build();
                    pem.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(pair.getPrivate(), encryptor));
                } else {
                    pem.writeObject(new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(pair.getPrivate(), null));
                }
            }
            java.io.StringWriter certificateText = new java.io.StringWriter();
            try (var pem = new org.bouncycastle.openssl.jcajce.JcaPEMWriter(certificateText)) {
                pem.writeObject(certificate);
            }
            return new X509Keys(keyText.toString(), certificateText.toString());
        } catch (java.security.GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException
                | IOException e) {
            throw new SigningException("Could not generate the root hash signing key: " + e.getMessage(), e);
        }
    }

    /** Creates {@code file} (failing if it exists), readable only by its owner if {@code secret}. */
    private static void writeNew(Path file, String text, boolean secret, List<Path> written) throws IOException {
        try {
            if (secret && file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(file);
            }
        } catch (FileAlreadyExistsException e) {
            throw new IOException(file + " appeared while the key was generated; nothing was overwritten.", e);
        }
        written.add(file);
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.TRUNCATE_EXISTING);
    }
}
