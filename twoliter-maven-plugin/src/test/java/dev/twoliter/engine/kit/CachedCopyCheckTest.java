package dev.twoliter.engine.kit;

import static dev.twoliter.engine.kit.KitFixtures.kit;
import static dev.twoliter.engine.kit.KitFixtures.manifestFor;
import static dev.twoliter.engine.kit.KitFixtures.rpm;
import static dev.twoliter.engine.kit.KitFixtures.tar;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What makes an unpacked copy differ from its index and its manifest, and how it is named. */
class CachedCopyCheckTest {
    private static final String RPM_PATH = "Packages/greet/greet-1.0-1.x86_64.rpm";
    private static final String OTHER_RPM = "Packages/hello/hello-1.0-1.x86_64.rpm";

    @TempDir
    Path dir;

    private Path copy;
    private KitManifest.Payload expected;

    @BeforeEach
    void anUnpackedCopy() throws Exception {
        Path payload = tar(dir.resolve("payload.tar"), List.of("Packages/", "Packages/greet/", RPM_PATH,
                "repodata/", "repodata/repomd.xml"));
        KitManifest manifest = manifestFor(kit("v:k:1"), payload, List.of(rpm(RPM_PATH)));
        expected = manifest.payload("x86_64");
        copy = new KitCache(dir.resolve("cache")).repository(manifest, "x86_64", payload, new KitFixtures.RecordingLog());
    }

    @Test
    void anIntactCopyHasNoDifferenceAtEitherLevel() {
        assertThat(CachedCopyCheck.difference(copy, expected, KitCache.Verification.QUICK)).isEmpty();
        assertThat(CachedCopyCheck.difference(copy, expected, KitCache.Verification.FULL)).isEmpty();
    }

    @Test
    void somethingOtherThanADirectoryIsNamed() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");
        Path link = Files.createSymbolicLink(dir.resolve("link"), copy);
        assertThat(CachedCopyCheck.difference(file, expected, KitCache.Verification.QUICK))
                .contains("it is a file, not a directory");
        assertThat(CachedCopyCheck.difference(link, expected, KitCache.Verification.QUICK))
                .contains("it is a symbolic link, not a directory");
    }

    @Test
    void theIndexMustDescribeThePayloadAndTheManifestsRpms() {
        String otherPayload = KitFixtures.sha("other payload");
        assertThat(CachedCopyCheck.difference(copy, new KitManifest.Payload(otherPayload, expected.size(),
                expected.rpms()), KitCache.Verification.QUICK))
                .contains("its index describes payload " + expected.sha256());

        KitManifest.Rpm good = expected.rpms().get(0);
        KitManifest.Rpm otherDigest = new KitManifest.Rpm(good.name(), good.epoch(), good.version(), good.release(),
                good.arch(), good.path(), good.size(), KitFixtures.sha("other rpm"));
        assertThat(CachedCopyCheck.difference(copy, new KitManifest.Payload(expected.sha256(), expected.size(),
                List.of(otherDigest)), KitCache.Verification.QUICK))
                .contains("its index does not list '" + RPM_PATH + "' as the manifest does");
        assertThat(CachedCopyCheck.difference(copy, new KitManifest.Payload(expected.sha256(), expected.size(),
                List.of(good, rpm(OTHER_RPM))), KitCache.Verification.QUICK))
                .contains("its index does not list '" + OTHER_RPM + "' as the manifest does");
        assertThat(CachedCopyCheck.difference(copy, new KitManifest.Payload(expected.sha256(), expected.size(),
                List.of()), KitCache.Verification.QUICK))
                .contains("its index lists 1 RPMs, the manifest 0");
    }

    @Test
    void onlyFullVerificationHashesTheFilesAgain() throws Exception {
        Path rpmFile = copy.resolve(RPM_PATH);
        FileTime time = Files.getLastModifiedTime(rpmFile);
        byte[] content = Files.readAllBytes(rpmFile);
        content[0] ^= 1;
        Files.setPosixFilePermissions(rpmFile, PosixFilePermissions.fromString("rw-r--r--"));
        Files.write(rpmFile, content);
        Files.setLastModifiedTime(rpmFile, time);

        assertThat(CachedCopyCheck.difference(copy, expected, KitCache.Verification.QUICK)).isEmpty();
        assertThat(CachedCopyCheck.difference(copy, expected, KitCache.Verification.FULL)).get().asString()
                .startsWith("'" + RPM_PATH + "': sha256 ");
    }
}
