package dev.twoliter.engine.update.tuf;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Optional;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.generators.Ed25519KeyPairGenerator;
import org.bouncycastle.crypto.generators.RSAKeyPairGenerator;
import org.bouncycastle.crypto.params.Ed25519KeyGenerationParameters;
import org.bouncycastle.crypto.params.RSAKeyGenerationParameters;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.openssl.PKCS8Generator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.OutputEncryptor;

/** Creates TUF signing keys as PKCS#8 PEM files that {@link TufSigningKey#load} reads. */
public final class TufKeyGenerator {
    static final int RSA_BITS = 3072;
    /** PBKDF2-HMAC-SHA256 iterations: OWASP's 2023 advice for that PRF. */
    private static final int PBKDF2_ITERATIONS = 600_000;

    private TufKeyGenerator() {}

    public static void generate(Path pemFile, TufKeyType type, Optional<char[]> passphrase)
            throws TufException, IOException {
        SecureRandom random = new SecureRandom();
        AsymmetricCipherKeyPair pair;
        if (type == TufKeyType.ED25519) {
            Ed25519KeyPairGenerator generator = new Ed25519KeyPairGenerator();
            generator.init(new Ed25519KeyGenerationParameters(random));
            pair = generator.generateKeyPair();
        } else {
            RSAKeyPairGenerator generator = new RSAKeyPairGenerator();
            generator.init(new RSAKeyGenerationParameters(BigInteger.valueOf(65537), random, RSA_BITS, 112));
            pair = generator.generateKeyPair();
        }
        PrivateKeyInfo info = PrivateKeyInfoFactory.createPrivateKeyInfo(pair.getPrivate());
        OutputEncryptor encryptor = null;
        if (passphrase.isPresent()) {
            try {
                encryptor = new JceOpenSSLPKCS8EncryptorBuilder(PKCS8Generator.AES_256_CBC)
                        .setProvider(TufSigningKey.Provider.BC).setRandom(random).setPassword(passphrase.get())
                        .setPRF(PKCS8Generator.PRF_HMACSHA256).setIterationCount(PBKDF2_ITERATIONS).build();
            } catch (OperatorCreationException e) {
                throw new TufException("Cannot encrypt the new TUF key " + pemFile + ": " + e.getMessage(), e);
            }
        }
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(new PKCS8Generator(info, encryptor));
        }
        write(pemFile, text.toString().getBytes(StandardCharsets.US_ASCII));
    }

    /** Creates the file with mode 0600 from the start, so the key is never readable by others. */
    private static void write(Path file, byte[] content) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(content);
        } catch (IOException e) {
            Files.deleteIfExists(file);
            throw e;
        }
    }
}
