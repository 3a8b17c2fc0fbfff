package dev.twoliter.engine.kit;

import static dev.twoliter.engine.kit.KitFixtures.kit;
import static dev.twoliter.engine.kit.KitFixtures.manifestFor;
import static dev.twoliter.engine.kit.KitFixtures.rpm;
import static dev.twoliter.engine.kit.KitFixtures.tar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.io.Digests;
import dev.twoliter.engine.io.Temporaries;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KitCacheTest {
    private static final String RPM_PATH = "Packages/greet/greet-1.0-1.x86_64.rpm";
    private static final List<String> GOOD = List.of("Packages/", "Packages/greet/", RPM_PATH,
            "repodata/", "repodata/repomd.xml", "repodata/abc-primary.xml.gz");

    @TempDir
    Path dir;

    private final KitFixtures.RecordingLog log = new KitFixtures.RecordingLog();

    private Path cacheRoot() {
        return dir.resolve("cache");
    }

    private Path unpack(List<String> entries, List<KitManifest.Rpm> rpms) throws Exception {
        Path payload = tar(dir.resolve("payload.tar"), entries);
        return new KitCache(cacheRoot()).repository(manifestFor(kit("v:k:1"), payload, rpms), "x86_64", payload, log);
    }

    /** Unpacks (or reuses) the same well-formed payload on every call. */
    private Path good(KitCache.Verification verification) throws Exception {
        Path payload = dir.resolve("good.tar");
        if (!Files.exists(payload)) {
            tar(payload, GOOD);
        }
        return new KitCache(cacheRoot(), verification).repository(manifestFor(kit("v:k:1"), payload,
                List.of(rpm(RPM_PATH))), "x86_64", payload, log);
    }

    @Test
    void unpacksAVerifiedPayloadOnceKeyedByItsDigest() throws Exception {
        Path payload = tar(dir.resolve("payload.tar"), GOOD);
        KitManifest manifest = manifestFor(kit("v:k:1"), payload, List.of(rpm(RPM_PATH)));
        Path repo = new KitCache(cacheRoot()).repository(manifest, "x86_64", payload, log);

        assertThat(repo).isEqualTo(cacheRoot().resolve(Digests.sha256(payload)));
        assertThat(repo.resolve(RPM_PATH)).hasBinaryContent(KitFixtures.content(RPM_PATH));
        assertThat(repo.resolve("repodata/repomd.xml")).exists();
        assertThat(repo.resolve(CacheIndex.FILE_NAME)).exists();
        assertThat(Files.getPosixFilePermissions(repo.resolve(RPM_PATH))).isEqualTo(PosixFilePermissions.fromString("r--r--r--"));
        assertThat(Files.getPosixFilePermissions(repo.resolve("Packages"))).isEqualTo(PosixFilePermissions.fromString("r-xr-xr-x"));
        assertThat(new KitCache(cacheRoot()).hasUnpacked(repo.getFileName().toString())).isTrue();
        Files.delete(payload); // a second use needs only the cache
        assertThat(new KitCache(cacheRoot(), KitCache.Verification.FULL).repository(manifest, "x86_64", payload, log))
                .isEqualTo(repo);
        assertThat(log.warnings).isEmpty();
    }

    @Test
    void aPayloadThatDoesNotMatchItsManifestIsNeverUnpacked() throws Exception {
        Path payload = tar(dir.resolve("payload.tar"), GOOD);
        KitManifest manifest = KitFixtures.manifest(kit("v:k:1"), "0".repeat(64), Files.size(payload), List.of());
        assertThatThrownBy(() -> new KitCache(cacheRoot()).repository(manifest, "x86_64", payload, log))
                .isInstanceOf(KitPayloadException.class)
                .hasMessageContaining("kit v:k:1: the x86_64 payload")
                .hasMessageContaining("has sha256 " + Digests.sha256(payload))
                .hasMessageContaining("manifest says " + "0".repeat(64));
        assertThat(cacheRoot()).doesNotExist();
    }

    @Test
    void aPayloadOfTheWrongSizeFailsBeforeItIsHashed() throws Exception {
        Path payload = tar(dir.resolve("payload.tar"), GOOD);
        KitManifest manifest = KitFixtures.manifest(kit("v:k:1"), Digests.sha256(payload), Files.size(payload) + 1,
                List.of());
        assertThatThrownBy(() -> new KitCache(cacheRoot()).repository(manifest, "x86_64", payload, log))
                .isInstanceOf(KitPayloadException.class)
                .hasMessage("kit v:k:1: the x86_64 payload " + payload + " has " + Files.size(payload) + " bytes, but the"
                        + " kit's manifest says " + (Files.size(payload) + 1) + " bytes. The repository serves a payload"
                        + " that is not the one published with this manifest.");
        assertThat(cacheRoot()).doesNotExist();
    }

    @Test
    void refusesDigestsThatAreNotDigests() {
        KitManifest manifest = KitFixtures.manifest(kit("v:k:1"), "../../tmp", 10, List.of());
        assertThatThrownBy(() -> new KitCache(cacheRoot()).repository(manifest, "x86_64", dir.resolve("none"), log))
                .isInstanceOf(KitException.class)
                .hasMessage("kit v:k:1 (x86_64 payload): '../../tmp' is not a sha256 digest (64 lowercase hex digits);"
                        + " the kit cache makes no path from it.");
        assertThatThrownBy(() -> new KitCache(cacheRoot()).hasUnpacked("../" + "0".repeat(61)))
                .hasMessageContaining("is not a sha256 digest");
        assertThatThrownBy(() -> new KitCache(cacheRoot()).hasUnpacked("A".repeat(64)))
                .hasMessageContaining("is not a sha256 digest");
        assertThat(cacheRoot()).doesNotExist();
    }

    @Test
    void refusesPathTraversal() {
        assertRefused(List.of("Packages/", "Packages/../../escape.rpm"),
                "contains the unsafe path 'Packages/../../escape.rpm' (it contains '..'); refused.");
        // commons-compress drops the leading slash of absolute names; what remains is still refused.
        assertRefused(List.of("/etc/passwd"), "contains 'etc/passwd', which is not part of a kit's layout");
        assertRefused(List.of("repodata/a\\b"), "(it contains a backslash)");
    }

    @Test
    void refusesLinksEvenInsideTheTree() {
        assertRefused(List.of("Packages/", "Packages/greet/", "Packages/greet/x.rpm->/etc/shadow"),
                "contains 'Packages/greet/x.rpm', which is a symbolic link to '/etc/shadow'; kit payloads hold only"
                        + " regular files and directories; refused.");
        assertRefused(List.of("repodata/", "repodata/repomd.xml->primary.xml"), "which is a symbolic link");
    }

    @Test
    void refusesHardLinksDevicesAndFifos() throws Exception {
        assertRefusedTar(t -> KitFixtures.special(t, "repodata/x", TarConstants.LF_LINK, "repodata/repomd.xml"),
                "contains 'repodata/x', which is a hard link to 'repodata/repomd.xml'");
        assertRefusedTar(t -> KitFixtures.special(t, "repodata/x", TarConstants.LF_CHR, null),
                "contains 'repodata/x', which is a character device");
        assertRefusedTar(t -> KitFixtures.special(t, "repodata/x", TarConstants.LF_BLK, null),
                "contains 'repodata/x', which is a block device");
        assertRefusedTar(t -> KitFixtures.special(t, "repodata/x", TarConstants.LF_FIFO, null),
                "contains 'repodata/x', which is a FIFO");
        assertRefusedTar(t -> KitFixtures.special(t, "repodata/x", (byte) 'V', null),
                "contains 'repodata/x', which is an entry of tar type 'V'");
    }

    @Test
    void refusesASparseBombWithoutWritingIt() throws Exception {
        assertRefusedTar(t -> KitFixtures.paxSparseBomb(t, "repodata/primary.xml", 2_000_000_000L),
                "contains 'repodata/primary.xml', which is a sparse file (1 bytes stored, 2000000000 bytes when"
                        + " expanded)");
        assertRefusedTar(t -> {
            TarArchiveEntry entry = new TarArchiveEntry("repodata/old", TarConstants.LF_GNUTYPE_SPARSE);
            entry.setSize(1);
            t.putArchiveEntry(entry);
            t.write('x');
            t.closeArchiveEntry();
        }, "contains 'repodata/old', which is a sparse file");
        assertThat(KitFixtures.bytesBelow(cacheRoot())).isLessThan(4096);
    }

    @Test
    void refusesAHugeDeclaredSizeBeforeCopyingAnything() throws Exception {
        Path payload = KitFixtures.truncatedHugeEntry(dir.resolve("payload.tar"), List.of("repodata/"),
                "repodata/primary.xml", 3_000_000_000L);
        KitManifest manifest = manifestFor(kit("v:k:1"), payload, List.of());
        assertThatThrownBy(() -> new KitCache(cacheRoot()).repository(manifest, "x86_64", payload, log))
                .isInstanceOf(KitPayloadException.class)
                .hasMessageContaining("kit v:k:1 (x86_64 payload " + payload + ") has an entry 'repodata/primary.xml'"
                        + " that declares 3000000000 bytes, but only ")
                .hasMessageContaining("bytes of the payload follow its header; refused.");
        assertCacheEmpty();
    }

    @Test
    void refusesAnRpmWhoseDigestOrSizeDiffersFromTheManifest() throws Exception {
        KitManifest.Rpm good = rpm(RPM_PATH);
        KitManifest.Rpm otherDigest = new KitManifest.Rpm(good.name(), 0, "1.0", "1", "x86_64", RPM_PATH, good.size(),
                "f".repeat(64));
        assertThatThrownBy(() -> unpack(GOOD, List.of(otherDigest)))
                .isInstanceOf(KitPayloadException.class)
                .hasMessageContaining("contains '" + RPM_PATH + "' with sha256 " + good.sha256()
                        + ", but its manifest says " + "f".repeat(64) + "; the RPM is not the one the vendor published");
        assertCacheEmpty();
        KitManifest.Rpm otherSize = new KitManifest.Rpm(good.name(), 0, "1.0", "1", "x86_64", RPM_PATH,
                good.size() + 1, good.sha256());
        assertThatThrownBy(() -> unpack(GOOD, List.of(otherSize)))
                .isInstanceOf(KitPayloadException.class)
                .hasMessageContaining("contains '" + RPM_PATH + "' of " + good.size() + " bytes, but its manifest says "
                        + (good.size() + 1) + " bytes; refused.");
        assertCacheEmpty();
    }

    @Test
    void refusesTheSamePathTwice() {
        assertRefused(List.of("repodata/", "repodata/repomd.xml", "repodata/repomd.xml"),
                "contains 'repodata/repomd.xml' twice; refused.");
        assertRefused(List.of("repodata/", "./repodata/"), "contains './repodata/' twice");
    }

    @Test
    void refusesAnythingButTheKitLayout() {
        assertRefused(List.of("etc/", "etc/cron.d/evil"), "contains the directory 'etc/', which is not part of a kit's layout");
        assertRefused(List.of("Packages/", "Packages/other/"), "contains the directory 'Packages/other/'");
        assertRefused(List.of("Packages/", "Packages/greet/", "Packages/greet/notes.txt"), "not part of a kit's layout");
        assertRefused(List.of("Packages/", "Packages/greet/", "Packages/greet/extra.rpm", "repodata/", "repodata/repomd.xml"),
                "contains 'Packages/greet/extra.rpm', which its manifest does not list; refused.");
        assertRefused(List.of("repodata/", "repodata/.hidden"), "not part of a kit's layout");
    }

    @Test
    void refusesAnIncompletePayload() {
        assertRefused(List.of("repodata/", "repodata/repomd.xml"), "is incomplete: missing '" + RPM_PATH + "'.");
        assertRefused(List.of("Packages/", "Packages/greet/", RPM_PATH), "is incomplete: no repodata.");
    }

    @Test
    void refusesWhatTheTarLibraryCannotRead() throws Exception {
        // commons-compress parses sparse sizes as int and reports this one by exception.
        assertRefusedTar(t -> KitFixtures.paxSparseBomb(t, "repodata/primary.xml", 1L << 40),
                "is not a readable tar archive: ");
    }

    @Test
    void aSameSizeEditIsFoundOnlyByFullVerification() throws Exception {
        Path repo = good(KitCache.Verification.QUICK);
        Path rpmFile = repo.resolve(RPM_PATH);
        FileTime time = Files.getLastModifiedTime(rpmFile);
        byte[] content = Files.readAllBytes(rpmFile);
        content[0] ^= 1;
        tamper(rpmFile, () -> Files.write(rpmFile, content));
        Files.setLastModifiedTime(rpmFile, time);

        assertThat(good(KitCache.Verification.QUICK)).isEqualTo(repo);
        assertThat(log.warnings).isEmpty();
        assertThat(rpmFile).hasBinaryContent(content);

        assertThat(good(KitCache.Verification.FULL)).isEqualTo(repo);
        assertThat(log.warnings).singleElement().asString()
                .startsWith("kit v:k:1: cached copy in " + repo + " was modified ('" + RPM_PATH + "': sha256 ")
                .endsWith("when unpacked); unpacking it again from the verified payload");
        assertThat(rpmFile).hasBinaryContent(KitFixtures.content(RPM_PATH));
    }

    @Test
    void aChangedSizeIsFoundByQuickVerification() throws Exception {
        Path repo = good(KitCache.Verification.QUICK);
        Path repomd = repo.resolve("repodata/repomd.xml");
        long size = Files.size(repomd);
        tamper(repomd, () -> Files.writeString(repomd, "<repomd>longer</repomd>"));

        assertThat(good(KitCache.Verification.QUICK)).isEqualTo(repo);
        assertThat(log.warnings).containsExactly("kit v:k:1: cached copy in " + repo + " was modified ('repodata/repomd.xml':"
                + " size 23 != " + size + " when unpacked); unpacking it again from the verified payload");
        assertThat(repomd).hasBinaryContent(KitFixtures.content("repodata/repomd.xml"));
        assertOnlyEntry(repo);
    }

    @Test
    void anAddedOrRemovedFileIsFoundByQuickVerification() throws Exception {
        Path repo = good(KitCache.Verification.QUICK);
        Path extra = repo.resolve("repodata/extra.xml");
        tamper(extra.getParent(), () -> Files.writeString(extra, "x"));
        assertThat(good(KitCache.Verification.QUICK)).isEqualTo(repo);
        assertThat(log.warnings).singleElement().asString().contains("('repodata/extra.xml' was added)");
        assertThat(extra).doesNotExist();

        Path removed = repo.resolve("repodata/abc-primary.xml.gz");
        tamper(removed.getParent(), () -> Files.delete(removed));
        assertThat(good(KitCache.Verification.QUICK)).isEqualTo(repo);
        assertThat(log.warnings).hasSize(2).last().asString().contains("('repodata/abc-primary.xml.gz' is missing)");
        assertThat(removed).exists();

        Path link = repo.resolve("Packages/greet/evil");
        tamper(link.getParent(), () -> Files.createSymbolicLink(link, Path.of("/etc/passwd")));
        assertThat(good(KitCache.Verification.QUICK)).isEqualTo(repo);
        assertThat(log.warnings).hasSize(3).last().asString().contains("('Packages/greet/evil' is a symbolic link");
        assertThat(link).doesNotExist();
        assertOnlyEntry(repo);
    }

    @Test
    void aMissingIndexMeansUnpackingAgain() throws Exception {
        Path repo = good(KitCache.Verification.QUICK);
        tamper(repo, () -> Files.delete(repo.resolve(CacheIndex.FILE_NAME)));
        assertThat(good(KitCache.Verification.QUICK)).isEqualTo(repo);
        assertThat(log.warnings).containsExactly("kit v:k:1: cached copy in " + repo + " was modified (its index "
                + CacheIndex.FILE_NAME + " is missing); unpacking it again from the verified payload");
        assertThat(repo.resolve(CacheIndex.FILE_NAME)).exists();

        tamper(repo, () -> {
            Path index = repo.resolve(CacheIndex.FILE_NAME);
            tamper(index, () -> Files.writeString(index, "garbage\n"));
        });
        assertThat(good(KitCache.Verification.QUICK)).isEqualTo(repo);
        assertThat(log.warnings).hasSize(2).last().asString().contains("(its index " + CacheIndex.FILE_NAME
                + " is unreadable: line 1 is 'garbage', not the index header)");
        assertOnlyEntry(repo);
    }

    @Test
    void aModifiedCopyIsReplacedOnlyFromAVerifiedPayload() throws Exception {
        Path repo = good(KitCache.Verification.QUICK);
        Path repomd = repo.resolve("repodata/repomd.xml");
        tamper(repomd, () -> Files.writeString(repomd, "changed and longer"));
        Path payload = dir.resolve("good.tar");
        KitManifest manifest = manifestFor(kit("v:k:1"), payload, List.of(rpm(RPM_PATH)));
        Files.write(payload, new byte[(int) Files.size(payload)]); // same size, other bytes

        assertThatThrownBy(() -> new KitCache(cacheRoot()).repository(manifest, "x86_64", payload, log))
                .isInstanceOf(KitPayloadException.class).hasMessageContaining("has sha256 ");
        try (Stream<Path> left = Files.list(cacheRoot())) {
            assertThat(left).as("the modified copy is gone, and nothing replaced it").extracting(p -> p.getFileName()
                    .toString()).containsExactly(RepairLock.FILE_NAME);
        }
    }

    @Test
    void sweepsWhatKilledBuildsLeftBehind() throws Exception {
        Path fresh = Temporaries.newDirectory(cacheRoot(), "unpack");
        String[] parts = fresh.getFileName().toString().split("\\.");
        // .unpack.<host>.<pid>.<start>.<random>.part: no process has this pid (beyond the kernel's pid_max)
        parts[3] = Long.toString((1L << 22) + 12345);
        Path stale = cacheRoot().resolve(String.join(".", parts));
        Files.move(fresh, stale);
        Path leftover = Files.writeString(Files.createDirectories(stale.resolve("repodata")).resolve("repomd.xml"), "x");
        Files.setPosixFilePermissions(leftover, PosixFilePermissions.fromString("r--r--r--"));

        Path repo = good(KitCache.Verification.QUICK);

        assertThat(stale).doesNotExist();
        assertThat(log.infos).contains("kit cache " + cacheRoot() + ": removed 1 leftover(s) of interrupted builds: "
                + stale.getFileName());
        assertOnlyEntry(repo);
    }

    @Test
    void concurrentBuildsUnpackingTheSamePayloadBothSucceed() throws Exception {
        Path payload = tar(dir.resolve("payload.tar"), GOOD);
        KitManifest manifest = manifestFor(kit("v:k:1"), payload, List.of(rpm(RPM_PATH)));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 10; round++) {
                Path root = dir.resolve("cache-" + round);
                CyclicBarrier start = new CyclicBarrier(4);
                List<Future<Path>> results = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    Callable<Path> build = () -> {
                        start.await();
                        return new KitCache(root).repository(manifest, "x86_64", payload, log);
                    };
                    results.add(pool.submit(build));
                }
                Path expected = root.resolve(Digests.sha256(payload));
                for (Future<Path> result : results) {
                    assertThat(result.get()).isEqualTo(expected);
                }
                try (Stream<Path> entries = Files.list(root)) {
                    assertThat(entries).containsExactly(expected);
                }
                assertThat(expected.resolve(RPM_PATH)).hasBinaryContent(KitFixtures.content(RPM_PATH));
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(log.warnings).isEmpty();
    }

    @Test
    void concurrentBuildsRepairingTheSameCopyBothSucceed() throws Exception {
        Path payload = tar(dir.resolve("payload.tar"), GOOD);
        KitManifest manifest = manifestFor(kit("v:k:1"), payload, List.of(rpm(RPM_PATH)));
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 10; round++) {
                Path repo = new KitCache(cacheRoot()).repository(manifest, "x86_64", payload, log);
                Path repomd = repo.resolve("repodata/repomd.xml");
                tamper(repomd, () -> Files.writeString(repomd, "tampered, and longer than before"));
                CyclicBarrier start = new CyclicBarrier(4);
                List<Future<Path>> results = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    results.add(pool.submit(() -> {
                        start.await();
                        return new KitCache(cacheRoot()).repository(manifest, "x86_64", payload, log);
                    }));
                }
                for (Future<Path> result : results) {
                    assertThat(result.get()).isEqualTo(repo);
                }
                assertThat(repomd).hasBinaryContent(KitFixtures.content("repodata/repomd.xml"));
                assertOnlyEntry(repo);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- helpers --------------------------------------------------------------------------------

    interface Edit {
        void run() throws IOException;
    }

    /** Edits the cache as a user would have to: making the read-only parts writable first (root would not need to). */
    private static void tamper(Path path, Edit edit) throws IOException {
        Path directory = Files.isDirectory(path) ? path : path.getParent();
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        if (Files.isRegularFile(path)) {
            Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rw-r--r--"));
        }
        edit.run();
    }

    /** Only the copy is left; a repair also leaves the (empty) repair lock file. */
    private void assertOnlyEntry(Path repo) throws IOException {
        try (Stream<Path> entries = Files.list(cacheRoot())) {
            assertThat(entries.filter(p -> !p.getFileName().toString().equals(RepairLock.FILE_NAME)))
                    .as("only the unpacked copy is left in the cache").containsExactly(repo);
        }
    }

    private void assertCacheEmpty() throws IOException {
        if (Files.exists(cacheRoot())) {
            try (Stream<Path> left = Files.list(cacheRoot())) {
                assertThat(left).as("nothing is left in the cache").isEmpty();
            }
        }
    }

    private void assertRefused(List<String> entries, String message) {
        assertThatThrownBy(() -> unpack(entries, List.of(rpm(RPM_PATH))))
                .isInstanceOf(KitPayloadException.class).hasMessageContaining(message);
        try {
            assertCacheEmpty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(dir.getParent().resolve("escape.rpm")).doesNotExist();
    }

    private void assertRefusedTar(KitFixtures.TarWriter writer, String message) throws Exception {
        Path payload = tar(dir.resolve("payload.tar"), t -> {
            t.putArchiveEntry(new TarArchiveEntry("repodata/"));
            t.closeArchiveEntry();
            KitFixtures.file(t, "repodata/repomd.xml", "<repomd/>".getBytes());
            writer.write(t);
        });
        KitManifest manifest = manifestFor(kit("v:k:1"), payload, List.of());
        assertThatThrownBy(() -> new KitCache(cacheRoot()).repository(manifest, "x86_64", payload, log))
                .isInstanceOf(KitPayloadException.class)
                .hasMessageContaining("kit v:k:1 (x86_64 payload " + payload + ")")
                .hasMessageContaining(message);
        assertCacheEmpty();
    }
}
