package dev.twoliter.engine.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.RecordingLog;
import dev.twoliter.engine.kit.KitCoordinates;
import dev.twoliter.engine.kit.KitException;
import dev.twoliter.engine.kit.KitSignatureVerifier;
import dev.twoliter.engine.kit.KitSignature;
import dev.twoliter.engine.kit.KitSource;
import dev.twoliter.maven.MavenTerms;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.openpgp.api.OpenPGPKey;
import org.bouncycastle.openpgp.api.SignatureParameters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Kit signing and verification with keys generated here, through the plugin's own key generator. */
class KitSignaturesTest {
    private static final KitCoordinates KIT = new KitCoordinates("com.example.vendor", "vendor-kit", "1.0.0");
    private static final byte[] MANIFEST = "format-version = 1\n# a kit manifest\n".getBytes(StandardCharsets.UTF_8);
    private static final Instant BUILD_TIME = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    static Path keys;
    @TempDir
    Path dir;

    static DevelopmentKeys.Written vendor;
    static DevelopmentKeys.Written other;
    static DevelopmentKeys.Written protectedKey;

    @BeforeAll
    static void generateKeys() throws Exception {
        vendor = DevelopmentKeys.generate(keys.resolve("vendor"), "Vendor <kits@example.com>", Optional.empty(),
                Instant.now());
        other = DevelopmentKeys.generate(keys.resolve("other"), "Other", Optional.empty(), Instant.now());
        protectedKey = DevelopmentKeys.generate(keys.resolve("protected"), "Protected",
                Optional.of("correct horse".toCharArray()), Instant.now());
    }

    /** How a test source answers for a kit's signature. */
    @FunctionalInterface
    private interface SignatureAnswer {
        Optional<Path> signature(KitCoordinates kit) throws KitException;
    }

    /** A source that only answers for signatures: the verifier reads no manifest and no payload itself. */
    private static KitSource signatures(SignatureAnswer answer) {
        return new KitSource() {
            @Override
            public Path manifest(KitCoordinates kit) {
                throw new AssertionError("the verifier reads no manifest itself");
            }

            @Override
            public Path payload(KitCoordinates kit, String arch, long size) {
                throw new AssertionError("no payload before verification");
            }

            @Override
            public Optional<Path> signature(KitCoordinates kit) throws KitException {
                return answer.signature(kit);
            }
        };
    }

    /** A source whose kits have the given signature files (none: unsigned). */
    private static KitSource source(Map<KitCoordinates, Path> signatures) {
        return signatures(kit -> Optional.ofNullable(signatures.get(kit)));
    }

    private Path signature(DevelopmentKeys.Written key, byte[] data) throws Exception {
        KitSigningKey signer = KitSigningKey.load(key.secretKey(), Optional.empty(), "the test", Instant.now());
        Path file = Files.createTempFile(dir, "kit", ".sig");
        Files.write(file, signer.sign(data, BUILD_TIME));
        return file;
    }

    private static KitSignatureVerifier verifier(TrustedKitKeys trusted, KitSignatureVerifier.Policy policy,
            Instant now, RecordingLog log) {
        return new KitSignatureVerifier(trusted, policy, c -> c.artifactId().equals("own-kit"), now,
                MavenTerms.INSTANCE, log, java.util.concurrent.ConcurrentHashMap.newKeySet());
    }

    private static TrustedKitKeys trust(String group, Path keyFile) throws Exception {
        return TrustedKitKeys.load(List.of(new TrustedKitKeys.Entry(group, keyFile)), "<trustedKitKeys>");
    }

    @Test
    void aSignatureIsReproducibleAndNeverOlderThanTheKey() throws Exception {
        KitSigningKey signer = KitSigningKey.load(vendor.secretKey(), Optional.empty(), "the test", Instant.now());

        assertThat(signer.sign(MANIFEST, BUILD_TIME)).isEqualTo(signer.sign(MANIFEST, BUILD_TIME));
        assertThat(signer.fingerprint()).isEqualTo(vendor.fingerprint()).matches("[0-9A-F]{40}");
        // The key is younger than the build timestamp: a signature may not predate it.
        assertThat(signer.signatureTime(BUILD_TIME)).isAfter(BUILD_TIME);
        Instant later = Instant.now().plus(Duration.ofDays(1));
        assertThat(signer.signatureTime(later)).isEqualTo(later);
    }

    @Test
    void aKitSignedByATrustedKeyVerifiesAndNamesItsSigner() throws Exception {
        Path sig = signature(vendor, MANIFEST);
        RecordingLog log = new RecordingLog();

        KitSignature result = verifier(trust("com.example.*", vendor.publicKey()), KitSignatureVerifier.Policy.BY_VENDOR,
                Instant.now(), log).verify(KIT, MANIFEST, source(Map.of(KIT, sig)));

        assertThat(result).isEqualTo(KitSignature.verified(vendor.fingerprint()));
        assertThat(log.lines()).isEmpty();
    }

    @Test
    void aManifestChangedAfterSigningFails() throws Exception {
        Path sig = signature(vendor, MANIFEST);
        byte[] altered = "format-version = 1\n# a kit manifesT\n".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> verifier(trust("com.example.vendor", vendor.publicKey()),
                KitSignatureVerifier.Policy.BY_VENDOR, Instant.now(), new RecordingLog())
                .verify(KIT, altered, source(Map.of(KIT, sig))))
                .isInstanceOf(KitException.class)
                .hasMessageStartingWith("kit com.example.vendor:vendor-kit:1.0.0: its signature by key "
                        + vendor.fingerprint() + " does not match the manifest: the manifest was changed after it was"
                        + " signed.")
                .hasMessageEndingWith("build again (signatures are required for groupId com.example.vendor because a key is"
                        + " trusted for it).");
    }

    @Test
    void aKitSignedByAnotherKeyFailsNamingBothKeys() throws Exception {
        Path sig = signature(other, MANIFEST);

        assertThatThrownBy(() -> verifier(trust("com.example.vendor", vendor.publicKey()),
                KitSignatureVerifier.Policy.BY_VENDOR, Instant.now(), new RecordingLog())
                .verify(KIT, MANIFEST, source(Map.of(KIT, sig))))
                .isInstanceOf(KitException.class)
                .hasMessageContaining("which is not among the keys trusted for groupId com.example.vendor ("
                        + vendor.fingerprint() + ")")
                .hasMessageContaining("add it to <trustedKitKeys> (signatures are required")
                .hasMessageNotContaining("to warn");
    }

    @Test
    void anUnsignedKitWarnsWithoutATrustedKeyAndFailsWithOneOrWhenRequired() throws Exception {
        RecordingLog log = new RecordingLog();
        KitSignature accepted = verifier(TrustedKitKeys.none(), KitSignatureVerifier.Policy.BY_VENDOR, Instant.now(),
                log).verify(KIT, MANIFEST, source(Map.of()));
        assertThat(accepted).isEqualTo(KitSignature.accepted());
        assertThat(log.lines()).containsExactly("WARN kit com.example.vendor:vendor-kit:1.0.0: it is not signed; used"
                + " unverified (<kitSignatures> (twoliter.kitSignatures) is warn for groupIds without a trusted key).");

        assertThatThrownBy(() -> verifier(trust("com.example.vendor", vendor.publicKey()),
                KitSignatureVerifier.Policy.BY_VENDOR, Instant.now(), new RecordingLog())
                .verify(KIT, MANIFEST, source(Map.of())))
                .hasMessage("kit com.example.vendor:vendor-kit:1.0.0: it is not signed. Ask its vendor for a signed"
                        + " release; or, to use it unverified, set <kitSignatures> (twoliter.kitSignatures) to warn"
                        + " (signatures are required for groupId com.example.vendor because a key is trusted for it).");
        assertThatThrownBy(() -> verifier(TrustedKitKeys.none(), KitSignatureVerifier.Policy.REQUIRED, Instant.now(),
                new RecordingLog()).verify(KIT, MANIFEST, source(Map.of())))
                .hasMessageEndingWith("(<kitSignatures> (twoliter.kitSignatures) is required).");
    }

    @Test
    void aSignatureThatCannotBeFetchedFailsWhereSignaturesAreRequiredAndWarnsElsewhere() throws Exception {
        KitSource unreachable = signatures(kit -> {
            throw new KitException("m: cannot resolve the signature of kit " + kit + ": no connection within 20 s");
        });
        assertThatThrownBy(() -> verifier(trust("com.example.vendor", vendor.publicKey()),
                KitSignatureVerifier.Policy.BY_VENDOR, Instant.now(), new RecordingLog())
                .verify(KIT, MANIFEST, unreachable)).hasMessageContaining("no connection within 20 s");
        RecordingLog log = new RecordingLog();
        assertThat(verifier(TrustedKitKeys.none(), KitSignatureVerifier.Policy.BY_VENDOR, Instant.now(), log)
                .verify(KIT, MANIFEST, unreachable)).isEqualTo(KitSignature.accepted());
        assertThat(log.lines()).singleElement().asString().startsWith("WARN kit com.example.vendor:vendor-kit:1.0.0: its"
                + " signature could not be fetched (m: cannot resolve");
    }

    @Test
    void aWarningIsGivenOncePerBuild() throws Exception {
        java.util.Set<String> warned = java.util.concurrent.ConcurrentHashMap.newKeySet();
        RecordingLog first = new RecordingLog();
        RecordingLog second = new RecordingLog();
        for (RecordingLog log : List.of(first, second)) {
            new KitSignatureVerifier(TrustedKitKeys.none(), KitSignatureVerifier.Policy.WARN, c -> false, Instant.now(),
                    MavenTerms.INSTANCE, log, warned).verify(KIT, MANIFEST, source(Map.of()));
        }
        assertThat(first.lines()).singleElement().asString().startsWith("WARN ");
        assertThat(second.lines()).singleElement().asString().startsWith("DEBUG ");
    }

    @Test
    void offChecksNothingAndTheProjectsOwnKitsAreNotChecked() throws Exception {
        KitSource refuses = signatures(kit -> {
            throw new AssertionError("nothing is fetched when nothing is checked");
        });
        assertThat(verifier(trust("com.example.vendor", vendor.publicKey()), KitSignatureVerifier.Policy.OFF,
                Instant.now(), new RecordingLog()).verify(KIT, MANIFEST, refuses)).isEqualTo(KitSignature.notChecked());
        assertThat(verifier(trust("com.example.vendor", vendor.publicKey()), KitSignatureVerifier.Policy.REQUIRED,
                Instant.now(), new RecordingLog()).verify(new KitCoordinates("com.example.vendor", "own-kit", "1"),
                MANIFEST, refuses)).isEqualTo(KitSignature.notChecked());
    }

    @Test
    void revokedAndExpiredKeysFail() throws Exception {
        var api = OpenPgpFiles.api();
        Instant created = Instant.now().minus(Duration.ofHours(1));
        OpenPGPKey expiring = api.generateKey(4, Date.from(created))
                .withPrimaryKey(g -> g.generateLegacyEd25519KeyPair(), new SignatureParameters.Callback() {
                    @Override
                    public SignatureParameters apply(SignatureParameters p) {
                        return p.setHashedSubpacketsFunction(h -> {
                            h.setKeyExpirationTime(true, 86400);
                            return h;
                        });
                    }
                })
                .addSigningSubkey(g -> g.generateLegacyEd25519KeyPair()).addUserId("Expiring").build();
        Path secret = Files.writeString(dir.resolve("expiring.asc"), expiring.toAsciiArmoredString());
        Path pub = Files.writeString(dir.resolve("expiring.pub.asc"), expiring.toCertificate().toAsciiArmoredString());
        Path sig = dir.resolve("expiring.sig");
        Files.write(sig, KitSigningKey.load(secret, Optional.empty(), "t", Instant.now()).sign(MANIFEST, BUILD_TIME));
        String fingerprint = OpenPgpFiles.hex(expiring.getFingerprint());

        assertThat(verifier(trust("com.example.vendor", pub), KitSignatureVerifier.Policy.REQUIRED, Instant.now(),
                new RecordingLog()).verify(KIT, MANIFEST, source(Map.of(KIT, sig))))
                .isEqualTo(KitSignature.verified(fingerprint));
        assertThatThrownBy(() -> verifier(trust("com.example.vendor", pub), KitSignatureVerifier.Policy.REQUIRED,
                Instant.now().plus(Duration.ofDays(2)), new RecordingLog()).verify(KIT, MANIFEST, source(Map.of(KIT, sig))))
                .hasMessageContaining("it is signed by key " + fingerprint + ", which has expired");
        assertThatThrownBy(() -> KitSigningKey.load(secret, Optional.empty(), "t", Instant.now().plus(Duration.ofDays(2))))
                .isInstanceOf(SigningException.class).hasMessageContaining("has no key that can sign");

        OpenPGPKey revoked = api.editKey(expiring).revokeKey().done();
        Path revokedPub = Files.writeString(dir.resolve("revoked.pub.asc"), revoked.toCertificate().toAsciiArmoredString());
        assertThatThrownBy(() -> verifier(trust("com.example.vendor", revokedPub), KitSignatureVerifier.Policy.REQUIRED,
                Instant.now(), new RecordingLog()).verify(KIT, MANIFEST, source(Map.of(KIT, sig))))
                .hasMessageContaining("it is signed by key " + fingerprint + ", which its owner has revoked");
        Path revokedSecret = Files.writeString(dir.resolve("revoked.asc"), revoked.toAsciiArmoredString());
        assertThatThrownBy(() -> KitSigningKey.load(revokedSecret, Optional.empty(), "t", Instant.now()))
                .hasMessageContaining("is revoked");
    }

    @Test
    void aSignatureFileThatIsNotASignatureIsRefused() throws Exception {
        Path garbage = Files.writeString(dir.resolve("garbage.sig"), "not a signature");
        assertThatThrownBy(() -> verifier(trust("com.example.vendor", vendor.publicKey()),
                KitSignatureVerifier.Policy.REQUIRED, Instant.now(), new RecordingLog())
                .verify(KIT, MANIFEST, source(Map.of(KIT, garbage))))
                .hasMessageContaining("is not an OpenPGP signature (");
        // A public key where a signature belongs is not a signature either.
        assertThatThrownBy(() -> verifier(trust("com.example.vendor", vendor.publicKey()),
                KitSignatureVerifier.Policy.REQUIRED, Instant.now(), new RecordingLog())
                .verify(KIT, MANIFEST, source(Map.of(KIT, vendor.publicKey()))))
                .hasMessageContaining("is not an OpenPGP signature (");
    }

    @Test
    void passphrasesAreCheckedAndNamedBySource() throws Exception {
        assertThatThrownBy(() -> KitSigningKey.load(protectedKey.secretKey(), Optional.empty(), "the variable X",
                Instant.now())).isInstanceOf(SigningException.class)
                .hasMessageContaining("is protected by a passphrase; provide it through the variable X.");
        assertThatThrownBy(() -> KitSigningKey.load(protectedKey.secretKey(), Optional.of("wrong".toCharArray()),
                "the variable X", Instant.now())).hasMessageContaining("The passphrase from the variable X does not unlock");
        KitSigningKey unlocked = KitSigningKey.load(protectedKey.secretKey(), Optional.of("correct horse".toCharArray()),
                "the variable X", Instant.now());
        assertThat(unlocked.sign(MANIFEST, BUILD_TIME)).isNotEmpty();
        assertThat(Files.readString(protectedKey.secretKey())).doesNotContain("correct horse");
    }

    @Test
    void keyFilesOfTheWrongKindAreRefused() throws Exception {
        assertThatThrownBy(() -> KitSigningKey.load(vendor.publicKey(), Optional.empty(), "t", Instant.now()))
                .hasMessageContaining("holds only a public key (" + vendor.fingerprint() + ")");
        assertThatThrownBy(() -> trust("com.example.vendor", vendor.secretKey()))
                .hasMessageContaining("holds a secret key (" + vendor.fingerprint() + ")");
        Path text = Files.writeString(dir.resolve("readme.txt"), "hello");
        assertThatThrownBy(() -> trust("com.example.vendor", text)).isInstanceOf(SigningException.class)
                .hasMessageContaining(text + " (<trustedKitKeys>[0])");
        assertThatThrownBy(() -> trust("com.example vendor", vendor.publicKey()))
                .hasMessageContaining("<trustedKitKeys>[0] has the groupId 'com.example vendor'");
        assertThatThrownBy(() -> trust("com.example.vendor", dir.resolve("missing.asc")))
                .hasMessageContaining("Cannot read trusted kit key");
        Path huge = dir.resolve("huge.asc");
        Files.write(huge, new byte[(1 << 20) + 1]);
        assertThatThrownBy(() -> trust("com.example.vendor", huge)).hasMessageContaining("is larger than 1024 KiB");
    }

    @Test
    void aPinnedFingerprintSelectsTheOneKeyToTrust() throws Exception {
        Path both = dir.resolve("both.asc");
        Files.writeString(both, Files.readString(vendor.publicKey()) + Files.readString(other.publicKey()));
        TrustedKitKeys pinned = TrustedKitKeys.load(List.of(new TrustedKitKeys.Entry("com.example.vendor", both,
                Optional.of(vendor.fingerprint().toLowerCase(java.util.Locale.ROOT)))), "<trustedKitKeys>");
        assertThat(verifier(pinned, KitSignatureVerifier.Policy.REQUIRED, Instant.now(), new RecordingLog())
                .verify(KIT, MANIFEST, source(Map.of(KIT, signature(vendor, MANIFEST)))))
                .isEqualTo(KitSignature.verified(vendor.fingerprint()));
        // The other key in the same file is not trusted: only the pinned one is.
        Path byOther = signature(other, MANIFEST);
        assertThatThrownBy(() -> verifier(pinned, KitSignatureVerifier.Policy.REQUIRED, Instant.now(),
                new RecordingLog()).verify(KIT, MANIFEST, source(Map.of(KIT, byOther))))
                .hasMessageContaining("which is not among the keys trusted");
        assertThatThrownBy(() -> TrustedKitKeys.load(List.of(new TrustedKitKeys.Entry("com.example.vendor",
                vendor.publicKey(), Optional.of(other.fingerprint()))), "<trustedKitKeys>"))
                .hasMessageContaining("holds no key with the fingerprint " + other.fingerprint());
        assertThatThrownBy(() -> TrustedKitKeys.load(List.of(new TrustedKitKeys.Entry("com.example.vendor",
                vendor.publicKey(), Optional.of("abc"))), "<trustedKitKeys>"))
                .hasMessageContaining("<trustedKitKeys>[0] has the fingerprint 'abc'");
    }

    @Test
    void aGroupPatternCoversTheGroupsUnderIt() throws Exception {
        TrustedKitKeys trusted = trust("com.example.*", vendor.publicKey());
        assertThat(trusted.hasKeysFor("com.example")).isTrue();
        assertThat(trusted.hasKeysFor("com.example.vendor.sub")).isTrue();
        assertThat(trusted.hasKeysFor("com.examples")).isFalse();
        assertThat(trust("com.example", vendor.publicKey()).hasKeysFor("com.example.vendor")).isFalse();
    }

    @Test
    void generatedKeysAreNeverOverwrittenAndTheSecretIsPrivate() throws Exception {
        Path secret = vendor.secretKey();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).isEqualTo("rw-------");
        String before = Files.readString(secret);
        assertThatThrownBy(() -> DevelopmentKeys.generate(secret.getParent(), "Again", Optional.empty(), Instant.now()))
                .isInstanceOf(SigningException.class).hasMessageContaining(secret + " exists");
        assertThat(Files.readString(secret)).isEqualTo(before);
        assertThat(Files.readString(vendor.publicKey())).startsWith("-----BEGIN PGP PUBLIC KEY BLOCK-----");
        assertThatThrownBy(() -> DevelopmentKeys.generate(dir, "two\nlines", Optional.empty(), Instant.now()))
                .hasMessageContaining("must be one line");
    }

    @Test
    void thePolicyIsParsedStrictly() throws Exception {
        assertThat(KitSignatureVerifier.Policy.parse("Required", MavenTerms.INSTANCE))
                .isEqualTo(KitSignatureVerifier.Policy.REQUIRED);
        assertThat(KitSignatureVerifier.Policy.parse(null, MavenTerms.INSTANCE))
                .isEqualTo(KitSignatureVerifier.Policy.BY_VENDOR);
        assertThatThrownBy(() -> KitSignatureVerifier.Policy.parse("strict", MavenTerms.INSTANCE))
                .hasMessageStartingWith("<kitSignatures> (twoliter.kitSignatures) is 'strict'; use required, warn,"
                        + " off or default");
    }
}
