package dev.twoliter.engine.kit;

import static dev.twoliter.engine.kit.KitFixtures.kit;
import static dev.twoliter.engine.kit.KitFixtures.rpm;
import static dev.twoliter.engine.kit.KitFixtures.tar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.io.Digests;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KitCacheTest {
    private static final List<String> GOOD = List.of("Packages/", "Packages/greet/", "Packages/greet/greet-1.0-1.x86_64.rpm",
            "repodata/", "repodata/repomd.xml", "repodata/abc-primary.xml.gz");

    @TempDir
    Path dir;

    private Path unpack(List<String> entries, List<KitManifest.Rpm> rpms) throws Exception {
        Path payload = tar(dir.resolve("payload.tar"), entries);
        KitManifest manifest = KitFixtures.manifest(kit("v:k:1"), Digests.sha256(payload), rpms);
        return new KitCache(dir.resolve("cache")).repository(manifest, "x86_64", payload);
    }

    @Test
    void unpacksAVerifiedPayloadOnceKeyedByItsDigest() throws Exception {
        Path repo = unpack(GOOD, List.of(rpm("Packages/greet/greet-1.0-1.x86_64.rpm")));
        Path payload = dir.resolve("payload.tar");

        assertThat(repo).isEqualTo(dir.resolve("cache").resolve(Digests.sha256(payload)));
        assertThat(repo.resolve("Packages/greet/greet-1.0-1.x86_64.rpm")).exists();
        assertThat(repo.resolve("repodata/repomd.xml")).exists();
        Files.delete(payload); // a second use needs only the cache
        KitManifest manifest = KitFixtures.manifest(kit("v:k:1"), repo.getFileName().toString(), List.of());
        assertThat(new KitCache(dir.resolve("cache")).repository(manifest, "x86_64", payload)).isEqualTo(repo);
    }

    @Test
    void aPayloadThatDoesNotMatchItsManifestIsNeverUnpacked() throws Exception {
        Path payload = tar(dir.resolve("payload.tar"), GOOD);
        KitManifest manifest = KitFixtures.manifest(kit("v:k:1"), "0".repeat(64), List.of());
        assertThatThrownBy(() -> new KitCache(dir.resolve("cache")).repository(manifest, "x86_64", payload))
                .isInstanceOf(KitException.class)
                .hasMessageContaining("kit v:k:1: the x86_64 payload")
                .hasMessageContaining("has sha256 " + Digests.sha256(payload))
                .hasMessageContaining("manifest says " + "0".repeat(64));
        assertThat(dir.resolve("cache")).doesNotExist();
    }

    @Test
    void refusesPathTraversal() {
        assertRefused(List.of("Packages/", "Packages/../../escape.rpm"), "unsafe path Packages/../../escape.rpm");
        // commons-compress drops the leading slash of absolute names; what remains is still refused.
        assertRefused(List.of("/etc/passwd"), "contains etc/passwd, which is not part of a kit's layout");
    }

    @Test
    void refusesLinksEvenInsideTheTree() {
        assertRefused(List.of("Packages/", "Packages/greet/", "Packages/greet/x.rpm->/etc/shadow"), "contains the link");
        assertRefused(List.of("repodata/", "repodata/repomd.xml->primary.xml"), "contains the link");
    }

    @Test
    void refusesAnythingButTheKitLayout() {
        assertRefused(List.of("etc/", "etc/cron.d/evil"), "unexpected directory etc/");
        assertRefused(List.of("Packages/", "Packages/greet/", "Packages/greet/notes.txt"), "not part of a kit's layout");
        assertRefused(List.of("Packages/", "Packages/greet/", "Packages/greet/extra.rpm", "repodata/", "repodata/repomd.xml"),
                "which its manifest does not list");
    }

    @Test
    void refusesAnIncompletePayload() {
        assertRefused(List.of("repodata/", "repodata/repomd.xml"), "incomplete");
    }

    private void assertRefused(List<String> entries, String message) {
        assertThatThrownBy(() -> unpack(entries, List.of(rpm("Packages/greet/greet-1.0-1.x86_64.rpm"))))
                .isInstanceOf(KitException.class).hasMessageContaining(message);
        try (Stream<Path> left = Files.list(dir.resolve("cache"))) {
            assertThat(left).as("nothing is left in the cache").isEmpty();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertThat(dir.getParent().resolve("escape.rpm")).doesNotExist();
    }
}
