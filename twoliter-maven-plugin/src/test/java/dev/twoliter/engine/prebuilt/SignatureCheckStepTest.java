package dev.twoliter.engine.prebuilt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.Terms;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The verdicts on reports as rpmkeys 4.18 in the SDK image printed them. */
class SignatureCheckStepTest {
    static final List<String> SIGNED = List.of("/work/prebuilt/0.rpm:",
            "    Header V4 RSA/SHA512 Signature, key ID 98ffdc9f: OK", "    Header SHA256 digest: OK",
            "    Header SHA1 digest: OK", "    Payload SHA256 digest: OK", "    MD5 digest: OK", "exit 0");
    static final List<String> OTHER_KEY = List.of("/work/prebuilt/0.rpm:",
            "    Header V4 RSA/SHA512 Signature, key ID 98ffdc9f: NOKEY", "    Header SHA256 digest: OK",
            "    Header SHA1 digest: OK", "    Payload SHA256 digest: OK", "    MD5 digest: OK", "exit 1");
    static final List<String> UNSIGNED = List.of("/work/prebuilt/0.rpm:", "    Header SHA256 digest: OK",
            "    Header SHA1 digest: OK", "    Payload SHA256 digest: OK", "    MD5 digest: OK", "exit 0");
    static final List<String> TRUNCATED = List.of("/work/prebuilt/0.rpm:",
            "error: /work/prebuilt/0.rpm: signature hdr blob(4388): BAD, read returned 0", "exit 1");
    static final List<String> CHANGED = List.of("/work/prebuilt/0.rpm:", "    Header SHA256 digest: OK",
            "    Payload SHA256 digest: BAD (Expected 1f2e != 9c8d)", "    MD5 digest: BAD (Expected 11 != 22)",
            "exit 1");

    @TempDir
    Path tmp;

    private PrebuiltRpm rpm() {
        PrebuiltDeclaration d = new PrebuiltDeclaration(new PrebuiltOrigin.ModuleFile("agent.rpm"), "agent", 0, "2.1",
                "4", Optional.empty());
        return new PrebuiltRpm(d, Path.of("/m/agent.rpm"), new RpmHeader("agent", 0, "2.1", "4", "x86_64", "MIT"),
                "a".repeat(64), "b".repeat(128));
    }

    private void judge(List<String> report, boolean key) throws Exception {
        SignatureCheckStep.judge("x:m", rpm(), report, key ? Optional.of(new SigningKey(Path.of("/m/vendor.asc")))
                : Optional.empty(), "fingerprint 7966D66BBAEAC966D4653787BBD4726298FFDC9F", Terms.PLAIN);
    }

    @Test
    void withAKeyOnlyItsSignaturePasses() throws Exception {
        assertThatCode(() -> judge(SIGNED, true)).doesNotThrowAnyException();
        assertThatThrownBy(() -> judge(OTHER_KEY, true)).isInstanceOf(PrebuiltException.class)
                .hasMessageContaining("x:m: prebuilt RPM module file agent.rpm (/m/agent.rpm) is signed with the key ID"
                        + " 98ffdc9f, not with the prebuilt signing key setting /m/vendor.asc (fingerprint 7966D66B");
        assertThatThrownBy(() -> judge(UNSIGNED, true)).hasMessageContaining("is not signed, but the prebuilt signing"
                + " key setting /m/vendor.asc (fingerprint 7966D66BBAEAC966D4653787BBD4726298FFDC9F) requires");
    }

    @Test
    void withoutAKeySignaturesDoNotMatterButDigestsDo() throws Exception {
        for (List<String> report : List.of(SIGNED, OTHER_KEY, UNSIGNED)) {
            assertThatCode(() -> judge(report, false)).doesNotThrowAnyException();
        }
        assertThatThrownBy(() -> judge(TRUNCATED, false)).hasMessageContaining("does not verify: rpm reports error:");
        assertThatThrownBy(() -> judge(CHANGED, true)).hasMessageContaining("Payload SHA256 digest: BAD");
        assertThatThrownBy(() -> judge(List.of("exit 0"), false)).hasMessageContaining("no digest at all");
    }

    @Test
    void aBadSignatureIsDamage() {
        List<String> bad = List.of("    Header V4 RSA/SHA512 Signature, key ID 98ffdc9f: BAD",
                "    Header SHA256 digest: OK", "exit 1");
        assertThatThrownBy(() -> judge(bad, false)).hasMessageContaining("Signature, key ID 98ffdc9f: BAD");
    }

    @Test
    void fingerprintsComeFromGpgsColonListing() throws Exception {
        Path list = Files.writeString(tmp.resolve("key.txt"), String.join("\n",
                "pub:-:2048:1:BBD4726298FFDC9F:1796664260:::-:::scSC::::::23::0:",
                "fpr:::::::::7966D66BBAEAC966D4653787BBD4726298FFDC9F:",
                "uid:-::::1796664260::AB::Test <t@example.invalid>::::::::::0:",
                "fpr:::::::::evil;rm -rf:"));
        assertThat(SignatureCheckStep.fingerprints(list)).isEqualTo("fingerprint 7966D66BBAEAC966D4653787BBD4726298FFDC9F");
        assertThat(SignatureCheckStep.fingerprints(tmp.resolve("none"))).isEqualTo("fingerprint unknown");
    }

    @Test
    void keysAreCheckedForShape() throws Exception {
        Path pub = Files.writeString(tmp.resolve("pub.asc"), "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nmQ==\n");
        assertThat(SigningKey.of(pub, "x:m", "<prebuiltSigningKey>").file()).isEqualTo(pub);
        Path secret = Files.writeString(tmp.resolve("sec.asc"), "-----BEGIN PGP PUBLIC KEY BLOCK-----\n"
                + "-----BEGIN PGP PRIVATE KEY BLOCK-----\n");
        assertThatThrownBy(() -> SigningKey.of(secret, "x:m", "<prebuiltSigningKey>")).hasMessageContaining("secret key");
        Path binary = Files.write(tmp.resolve("key.gpg"), new byte[] {(byte) 0x99, 1, 2});
        assertThatThrownBy(() -> SigningKey.of(binary, "x:m", "<prebuiltSigningKey>"))
                .hasMessageContaining("is not an armored OpenPGP public key");
        assertThatThrownBy(() -> SigningKey.of(tmp.resolve("gone.asc"), "x:m", "<prebuiltSigningKey>"))
                .hasMessageContaining("is not a file");
    }
}
