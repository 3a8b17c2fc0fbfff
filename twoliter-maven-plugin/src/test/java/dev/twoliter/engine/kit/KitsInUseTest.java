package dev.twoliter.engine.kit;

import static dev.twoliter.engine.kit.KitFixtures.kit;
import static dev.twoliter.engine.kit.KitFixtures.rpm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KitsInUseTest {
    private static final String RPM_PATH = "Packages/greet/greet-1.0-1.x86_64.rpm";

    @TempDir
    Path dir;

    @Test
    void unpacksEachKitAndDiscardsAPayloadThatProvedBad() throws Exception {
        Path payload = KitFixtures.tar(dir.resolve("payload.tar"), List.of("Packages/", "Packages/greet/", RPM_PATH,
                "repodata/", "repodata/repomd.xml"));
        KitManifest manifest = KitFixtures.manifestFor(kit("v:k:1"), payload, List.of(rpm(RPM_PATH)));
        ResolvedKit kit = new ResolvedKit(kit("v:k:1"), dir.resolve("m"), KitFixtures.sha("m"), manifest, List.of("m"));
        KitFixtures.DirectorySource source = new KitFixtures.DirectorySource(dir);
        source.payloads.put("v:k:1-x86_64", payload);
        KitFixtures.RecordingLog log = new KitFixtures.RecordingLog();
        KitCache cache = new KitCache(dir.resolve("cache"));

        List<KitRepository> repositories = KitsInUse.repositories(List.of(kit), source, cache, "x86_64", log);

        assertThat(repositories).singleElement().satisfies(r -> {
            assertThat(r.directory()).isEqualTo(dir.resolve("cache").resolve(manifest.payload("x86_64").sha256()));
            assertThat(r.coordinates()).isEqualTo(kit("v:k:1"));
        });
        assertThat(log.infos).anyMatch(m -> m.startsWith("kit v:k:1: x86_64 payload of"));
        assertThat(source.discarded).isEmpty();

        Path other = KitFixtures.tar(dir.resolve("other.tar"), List.of("repodata/", "repodata/repomd.xml"));
        KitManifest otherManifest = KitFixtures.manifest(kit("v:o:1"), KitFixtures.sha("x"), Files.size(other), List.of());
        source.payloads.put("v:o:1-x86_64", other);
        ResolvedKit bad = new ResolvedKit(kit("v:o:1"), dir.resolve("o"), KitFixtures.sha("o"), otherManifest, List.of("m"));
        assertThatThrownBy(() -> KitsInUse.repositories(List.of(bad), source, cache, "x86_64", log))
                .isInstanceOf(KitPayloadException.class);
        assertThat(source.discarded).containsExactly("v:o:1-x86_64");
    }
}
