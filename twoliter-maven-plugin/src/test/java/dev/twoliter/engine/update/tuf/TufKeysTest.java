package dev.twoliter.engine.update.tuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TufKeysTest {
    /** The Ed25519 key with seed 00 01 .. 1f; public key and signature computed with Python's cryptography. */
    static final String SEED_PEM = "-----BEGIN PRIVATE KEY-----\n"
            + "MC4CAQAwBQYDK2VwBCIEIAABAgMEBQYHCAkKCwwNDg8QERITFBUWFxgZGhscHR4f\n-----END PRIVATE KEY-----\n";

    @TempDir
    Path dir;

    @Test
    void ed25519SignaturesMatchAnIndependentImplementation() throws Exception {
        Path pem = Files.writeString(dir.resolve("seed.pem"), SEED_PEM);
        TufSigningKey key = TufSigningKey.load(pem, Optional.empty(), "nowhere");
        assertThat(key.publicKey().publicValue())
                .isEqualTo("03a107bff3ce10be1d70dd18e74bc09967e4d6309ba50d5f1ddc8664125531b8");
        byte[] message = "{\"a\":\"x\\\"y\\\\z\",\"b\":[1,-2,{\"a\":true,\"z\":null}],\"é\":\"ü\"}"
                .getBytes(StandardCharsets.UTF_8);
        byte[] signature = key.sign(message);
        assertThat(HexFormat.of().formatHex(signature)).isEqualTo("af5507e96f4d9535431e8d6655497fe90575d3272103697d"
                + "e51d14e4b3d6ea0f0c5f285c1cde59b2b3fba98b63998531172522654b3b83793fced1dba583db06");
        assertThat(key.publicKey().verify(message, signature)).isTrue();
        message[0] = '[';
        assertThat(key.publicKey().verify(message, signature)).isFalse();
        assertThat(key.publicKey().verify(message, new byte[3])).isFalse();
    }

    @Test
    void rsaKeysAreEncryptedPkcs8SignWithPssAndRoundTripThroughJson() throws Exception {
        Path pem = dir.resolve("rsa.pem");
        TufKeyGenerator.generate(pem, TufKeyType.RSASSA_PSS_SHA256, Optional.of("secret".toCharArray()));
        assertThat(Files.readString(pem)).startsWith("-----BEGIN ENCRYPTED PRIVATE KEY-----");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pem))).isEqualTo("rw-------");
        TufSigningKey key = TufSigningKey.load(pem, Optional.of("secret".toCharArray()), "TUF_PASSPHRASE");
        assertThat(key.publicKey().keyType()).isEqualTo("rsa");
        assertThat(key.publicKey().scheme()).isEqualTo("rsassa-pss-sha256");
        assertThat(key.publicKey().publicValue()).startsWith("-----BEGIN PUBLIC KEY-----\n")
                .endsWith("\n-----END PUBLIC KEY-----\n");
        TufPublicKey parsed = TufPublicKey.fromJson(key.publicKey().toJson(), "test");
        assertThat(parsed.keyId()).isEqualTo(key.keyId());
        byte[] message = "hello".getBytes(StandardCharsets.US_ASCII);
        byte[] signature = key.sign(message);
        assertThat(signature).hasSize(384);
        assertThat(parsed.verify(message, signature)).isTrue();
        assertThat(parsed.verify("hellO".getBytes(StandardCharsets.US_ASCII), signature)).isFalse();
    }

    @Test
    void passphraseProblemsAreNamed() throws Exception {
        Path pem = dir.resolve("ed.pem");
        TufKeyGenerator.generate(pem, TufKeyType.ED25519, Optional.of("right".toCharArray()));
        assertThatThrownBy(() -> TufSigningKey.load(pem, Optional.of("wrong".toCharArray()), "TUF_PASSPHRASE"))
                .isInstanceOf(TufException.class)
                .hasMessage("The passphrase from TUF_PASSPHRASE does not unlock TUF signing key " + pem + ".");
        assertThatThrownBy(() -> TufSigningKey.load(pem, Optional.empty(), "TUF_PASSPHRASE"))
                .isInstanceOf(TufException.class).hasMessageContaining("protected by a passphrase")
                .hasMessageContaining("TUF_PASSPHRASE");
        assertThat(TufSigningKey.load(pem, Optional.of("right".toCharArray()), "x").publicKey().keyType())
                .isEqualTo("ed25519");
    }

    @Test
    void unencryptedKeysLoadAndFilesAreNeverOverwritten() throws Exception {
        Path pem = dir.resolve("plain.pem");
        TufKeyGenerator.generate(pem, TufKeyType.ED25519, Optional.empty());
        assertThat(Files.readString(pem)).startsWith("-----BEGIN PRIVATE KEY-----");
        String before = Files.readString(pem);
        assertThatThrownBy(() -> TufKeyGenerator.generate(pem, TufKeyType.ED25519, Optional.empty()))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readString(pem)).isEqualTo(before);
        assertThat(TufSigningKey.load(pem, Optional.empty(), "x").file()).isEqualTo(pem);
    }

    @Test
    void otherFilesAreRefusedClearly() throws Exception {
        Path text = Files.writeString(dir.resolve("not.pem"), "hello");
        assertThatThrownBy(() -> TufSigningKey.load(text, Optional.empty(), "x")).isInstanceOf(TufException.class)
                .hasMessageContaining("holds no PEM block");
        Path publicKey = Files.writeString(dir.resolve("pub.pem"), "-----BEGIN PUBLIC KEY-----\n"
                + "MCowBQYDK2VwAyEAA6EHv/POEL4dcN0Y50vAmWfk1jCbpQ1fHdyGZBJVMbg=\n-----END PUBLIC KEY-----\n");
        assertThatThrownBy(() -> TufSigningKey.load(publicKey, Optional.empty(), "x"))
                .isInstanceOf(TufException.class).hasMessageContaining("holds no PKCS#8 private key");
        Path big = Files.write(dir.resolve("big.pem"), new byte[TufSigningKey.MAX_KEY_FILE_BYTES + 1]);
        assertThatThrownBy(() -> TufSigningKey.load(big, Optional.empty(), "x")).isInstanceOf(TufException.class)
                .hasMessageContaining("larger than");
    }

    @Test
    void publicKeysFromMetadataAreValidated() {
        assertThatThrownBy(() -> TufPublicKey.fromJson(new TufPublicKey("ecdsa", "ecdsa-sha2-nistp256", "x")
                .toJson(), "1.root.json key k")).isInstanceOf(TufException.class)
                .hasMessageContaining("1.root.json key k").hasMessageContaining("not supported");
        assertThatThrownBy(() -> TufPublicKey.fromJson(new TufPublicKey("ed25519", "ed25519", "ABCD").toJson(), "k"))
                .isInstanceOf(TufException.class).hasMessageContaining("64 lowercase hex");
        assertThatThrownBy(() -> TufPublicKey.fromJson(Fields.NODES.textNode("k"), "k"))
                .isInstanceOf(TufException.class);
    }
}
