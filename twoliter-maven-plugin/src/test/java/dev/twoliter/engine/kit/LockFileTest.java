package dev.twoliter.engine.kit;

import dev.twoliter.maven.MavenTerms;
import static dev.twoliter.engine.kit.KitFixtures.kit;
import static dev.twoliter.engine.kit.KitFixtures.manifest;
import static dev.twoliter.engine.kit.KitFixtures.sha;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LockFileTest {
    private static final String REGENERATE = " Regenerate it with `mvn twoliter:update`.";

    @TempDir
    Path dir;

    private static ResolvedKit resolved(String coords, String manifestSha, String payloadSha) {
        return new ResolvedKit(kit(coords), Path.of("x"), manifestSha, manifest(kit(coords), payloadSha, List.of()),
                List.of("m", coords));
    }

    @Test
    void roundTripsAndAcceptsTheKitsItWasWrittenFrom() throws Exception {
        List<ResolvedKit> kits = List.of(resolved("v:b-kit:2", sha("m2"), sha("p2")),
                resolved("v:a-kit:1", sha("m1"), sha("p1")));
        Path file = dir.resolve("twoliter.lock");
        LockFile.of(kits).write(file, MavenTerms.INSTANCE);

        LockFile read = LockFile.read(file, MavenTerms.INSTANCE);

        assertThat(read).isEqualTo(LockFile.of(kits));
        read.verify(kits, "x86_64", file, MavenTerms.INSTANCE);
        String text = Files.readString(file);
        assertThat(text.indexOf("a-kit")).isLessThan(text.indexOf("b-kit")).as("sorted, stable output");
        assertThat(text).contains("payload-sha256 = { x86_64 = \"" + sha("p1") + "\" }");
    }

    @Test
    void prebuiltRpmsArePinnedBySha512AndChecked() throws Exception {
        Path file = dir.resolve("twoliter.lock");
        String a = "a".repeat(128);
        LockFile.PrebuiltPin artifact = new LockFile.PrebuiltPin("com.example:agent",
                "Maven artifact com.vendor:agent:1.2:rpm", a);
        LockFile.PrebuiltPin url = new LockFile.PrebuiltPin("com.example:agent", "URL http://127.0.0.1:1/x.rpm",
                "b".repeat(128));
        LockFile.of(List.of(resolved("v:a-kit:1", sha("m1"), sha("p1"))), List.of(url, artifact))
                .write(file, MavenTerms.INSTANCE);
        LockFile read = LockFile.read(file, MavenTerms.INSTANCE);
        assertThat(read.prebuilt()).hasSize(2);
        assertThat(Files.readString(file)).contains("[[prebuilt-rpm]]\nmodule = \"com.example:agent\"\n"
                + "origin = \"Maven artifact com.vendor:agent:1.2:rpm\"\nsha512 = \"" + a + "\"\n");
        read.verifyPrebuilt(artifact, file, MavenTerms.INSTANCE);

        assertThatThrownBy(() -> read.verifyPrebuilt(new LockFile.PrebuiltPin("com.example:agent",
                "Maven artifact com.vendor:agent:1.2:rpm", "c".repeat(128)), file, MavenTerms.INSTANCE))
                .isInstanceOf(KitException.class).hasMessage("com.example:agent: the prebuilt RPM Maven artifact"
                        + " com.vendor:agent:1.2:rpm changed since twoliter.lock: expected sha512 " + a + ", found "
                        + "c".repeat(128) + ". A vendor that republishes a file under the same name must be asked"
                        + " why; if the change is intended, run `mvn twoliter:update`.");
        assertThatThrownBy(() -> read.verifyPrebuilt(new LockFile.PrebuiltPin("com.example:agent",
                "Maven artifact com.vendor:agent:1.3:rpm", a), file, MavenTerms.INSTANCE))
                .hasMessage("com.example:agent: the prebuilt RPM Maven artifact com.vendor:agent:1.3:rpm is not in "
                        + file + ". Run `mvn twoliter:update` to lock it.");

        String text = Files.readString(file);
        Files.writeString(file, text.replace("sha512 = \"" + a, "sha512 = \"../" + a.substring(3)));
        assertThatThrownBy(() -> LockFile.read(file, MavenTerms.INSTANCE)).hasMessageContaining("prebuilt-rpm[0].sha512");
        Files.writeString(file, text.replace("module = \"com.example:agent\"", "module = \"agent\""));
        assertThatThrownBy(() -> LockFile.read(file, MavenTerms.INSTANCE)).hasMessageContaining("prebuilt-rpm[0].module");
    }

    @Test
    void aChangedKitIsReportedWithExpectedAndFound() throws Exception {
        Path file = dir.resolve("twoliter.lock");
        String m1 = sha("m1");
        String p1 = sha("p1");
        LockFile lock = LockFile.of(List.of(resolved("v:core-kit:1", m1, p1)));

        assertThatThrownBy(() -> lock.verify(List.of(resolved("v:core-kit:1", sha("m9"), p1)), "x86_64", file, MavenTerms.INSTANCE))
                .isInstanceOf(KitException.class)
                .hasMessage("kit v:core-kit changed since twoliter.lock: expected manifest sha256 " + m1 + ", found"
                        + " manifest sha256 " + sha("m9") + ". If the change is intended, run `mvn twoliter:update`.");
        assertThatThrownBy(() -> lock.verify(List.of(resolved("v:core-kit:1", m1, sha("p9"))), "x86_64", file, MavenTerms.INSTANCE))
                .hasMessageContaining("expected x86_64 payload sha256 " + p1 + ", found x86_64 payload sha256 " + sha("p9"));
        assertThatThrownBy(() -> lock.verify(List.of(resolved("v:core-kit:2", m1, p1)), "x86_64", file, MavenTerms.INSTANCE))
                .hasMessageContaining("expected version 1, found version 2");
        assertThatThrownBy(() -> lock.verify(List.of(resolved("v:new-kit:1", m1, p1)), "x86_64", file, MavenTerms.INSTANCE))
                .hasMessageContaining("kit v:new-kit:1 (via m -> v:new-kit:1) is not in " + file);
        LockFile onlyOtherArch = new LockFile(java.util.Map.of("v:core-kit", new LockFile.Entry(kit("v:core-kit:1"), m1,
                java.util.Map.of("aarch64", sha("p0")))));
        assertThatThrownBy(() -> onlyOtherArch.verify(List.of(resolved("v:core-kit:1", m1, p1)), "x86_64", file, MavenTerms.INSTANCE))
                .hasMessageContaining("is locked in " + file + " without its x86_64 payload");
        // A kit without a payload for the arch is not the lock's business; resolving the payload reports it.
        lock.verify(List.of(resolved("v:core-kit:1", m1, p1)), "aarch64", file, MavenTerms.INSTANCE);
    }

    private static ResolvedKit signed(String coords, String manifestSha, String payloadSha, KitSignature signature) {
        ResolvedKit kit = resolved(coords, manifestSha, payloadSha);
        return new ResolvedKit(kit.coordinates(), kit.manifestFile(), kit.manifestSha256(), kit.manifest(), kit.path(),
                signature);
    }

    @Test
    void theSignerIsLockedAndAChangeOfSignerFails() throws Exception {
        String vendorKey = "A".repeat(40);
        String otherKey = "B".repeat(40);
        Path file = dir.resolve("twoliter.lock");
        String m = sha("m1");
        String p = sha("p1");
        LockFile.of(List.of(signed("v:core-kit:1", m, p, KitSignature.verified(vendorKey)))).write(file,
                MavenTerms.INSTANCE);
        assertThat(Files.readString(file)).contains("signer = \"" + vendorKey + "\"");
        LockFile lock = LockFile.read(file, MavenTerms.INSTANCE);
        assertThat(lock.kits().get("v:core-kit").signer()).contains(vendorKey);

        lock.verify(List.of(signed("v:core-kit:1", m, p, KitSignature.verified(vendorKey))), "x86_64", file,
                MavenTerms.INSTANCE);
        // Checks switched off: nothing is known about the signer, so nothing is compared.
        lock.verify(List.of(signed("v:core-kit:1", m, p, KitSignature.notChecked())), "x86_64", file, MavenTerms.INSTANCE);
        assertThatThrownBy(() -> lock.verify(List.of(signed("v:core-kit:1", m, p, KitSignature.verified(otherKey))),
                "x86_64", file, MavenTerms.INSTANCE))
                .isInstanceOf(KitException.class)
                .hasMessage("kit v:core-kit:1 was signed by key " + vendorKey + " when " + file + " was written, but now it"
                        + " is signed by key " + otherKey + ". A vendor's change of signing key must be checked with the"
                        + " vendor; if it is intended, trust the new key and run `mvn twoliter:update`.");
        assertThatThrownBy(() -> lock.verify(List.of(signed("v:core-kit:1", m, p, KitSignature.accepted())), "x86_64",
                file, MavenTerms.INSTANCE)).hasMessageContaining("but now its signature did not verify");
    }

    @Test
    void aSignerThatIsNotAFingerprintIsRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("twoliter.lock"), "format-version = 1\n[[kit]]\ngroup-id = \"v\"\n"
                + "artifact-id = \"k\"\nversion = \"1\"\nmanifest-sha256 = \"" + sha("m") + "\"\n"
                + "payload-sha256 = { x86_64 = \"" + sha("p") + "\" }\nsigner = \"abc\"\n");
        assertThatThrownBy(() -> LockFile.read(file, MavenTerms.INSTANCE))
                .hasMessageContaining("kit[0].signer is 'abc', which is not an OpenPGP fingerprint (40 or 64 upper-case"
                        + " hex digits).");
    }

    @Test
    void aDamagedLockFileSaysHowToRegenerateIt() throws Exception {
        Path file = Files.writeString(dir.resolve("twoliter.lock"), "format-version = 1\n[[kit]]\ngroup-id = \"x\"\n");
        assertThatThrownBy(() -> LockFile.read(file, MavenTerms.INSTANCE)).hasMessage(file + " lacks 'kit[0].artifact-id' (a string)."
                + REGENERATE);
    }

    @Test
    void everyValueOfEveryEntryIsValidated() throws Exception {
        String good = """
                format-version = 1

                [[kit]]
                group-id = "v"
                artifact-id = "a-kit"
                version = "1"
                manifest-sha256 = "%s"
                payload-sha256 = { x86_64 = "%s" }

                [[kit]]
                group-id = "v"
                artifact-id = "b-kit"
                version = "2"
                manifest-sha256 = "%s"
                payload-sha256 = { x86_64 = "%s" }
                """.formatted(sha("m1"), sha("p1"), sha("m2"), sha("p2"));
        Path file = dir.resolve("twoliter.lock");
        Files.writeString(file, good);
        assertThat(LockFile.read(file, MavenTerms.INSTANCE).kits()).containsOnlyKeys("v:a-kit", "v:b-kit");

        assertRefused(file, good.replace("\"" + sha("m2") + "\"", "\"../../etc\""),
                ": kit[1].manifest-sha256 is '../../etc', which is not a sha256 digest (64 lowercase hex digits).");
        assertRefused(file, good.replace("x86_64 = \"" + sha("p2") + "\"", "x86_64 = \"p2\""),
                ": kit[1].payload-sha256.x86_64 is 'p2', which is not a sha256 digest");
        assertRefused(file, good.replace("x86_64 = \"" + sha("p2") + "\"", "\"X/86\" = \"" + sha("p2") + "\""),
                ": kit[1].payload-sha256 has the arch key 'X/86', which is not an architecture name");
        assertRefused(file, good.replace("artifact-id = \"a-kit\"", "artifact-id = \"a kit\""),
                ": kit[0].artifact-id is 'a kit', which is not a Maven id");
        assertRefused(file, good.replace("version = \"2\"", "version = \"2\\u0000\""),
                ": kit[1].version is '2\\u0000', which is not a Maven version");
        assertRefused(file, good.replace("b-kit", "a-kit"), " locks kit v:a-kit twice (again in kit[1]).");
        assertRefused(file, good.replace("version = \"1\"", "version = 1"),
                ": kit[0].version must be a string, but it is an integer ('1').");
    }

    private static void assertRefused(Path file, String text, String message) throws Exception {
        Files.writeString(file, text);
        assertThatThrownBy(() -> LockFile.read(file, MavenTerms.INSTANCE)).isInstanceOf(KitException.class)
                .hasMessageStartingWith(file.toString()).hasMessageContaining(message).hasMessageEndingWith(REGENERATE);
    }
}
