package dev.twoliter.engine.kit;

import static dev.twoliter.engine.kit.KitFixtures.kit;
import static dev.twoliter.engine.kit.KitFixtures.manifest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.io.Digests;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KitGraphTest {
    @TempDir
    Path dir;

    @Test
    void followsManifestsBreadthFirstAndVisitsEachKitOnce() throws Exception {
        KitFixtures.DirectorySource source = new KitFixtures.DirectorySource(dir)
                .add(manifest(kit("v:app-kit:1"), KitFixtures.sha("1"), List.of(), kit("v:core-kit:2"), kit("v:net-kit:1")))
                .add(manifest(kit("v:net-kit:1"), KitFixtures.sha("2"), List.of(), kit("v:core-kit:2")))
                .add(manifest(kit("v:core-kit:2"), KitFixtures.sha("3"), List.of()));

        List<ResolvedKit> kits = KitGraph.resolve("m", List.of(new KitRoot(kit("v:app-kit:1"), List.of("m", "v:app-kit:1"))),
                source);

        assertThat(kits).extracting(k -> k.coordinates().toString())
                .containsExactly("v:app-kit:1", "v:core-kit:2", "v:net-kit:1");
        assertThat(kits.get(1).path()).containsExactly("m", "v:app-kit:1", "v:core-kit:2");
        assertThat(source.requested).containsExactly("v:app-kit:1", "v:core-kit:2", "v:net-kit:1");
        assertThat(kits.get(0).manifestSha256()).as("the digest of the bytes read")
                .isEqualTo(Digests.sha256(dir.resolve("v:app-kit:1.kit.toml")));
    }

    @Test
    void twoVersionsAmongTheModulesOwnDependenciesFailWithBothPaths() {
        List<KitRoot> roots = List.of(new KitRoot(kit("v:core-kit:1"), List.of("m", "v:core-kit:1")),
                new KitRoot(kit("v:core-kit:2"), List.of("m", "g:lib:1", "v:core-kit:2")));
        assertThatThrownBy(() -> KitGraph.resolve("g:m", roots, new KitFixtures.DirectorySource(dir)))
                .isInstanceOf(KitException.class)
                .hasMessageContaining("g:m needs two versions of kit v:core-kit")
                .hasMessageContaining("1 via m -> v:core-kit:1")
                .hasMessageContaining("2 via m -> g:lib:1 -> v:core-kit:2");
    }

    @Test
    void twoVersionsReachedThroughManifestsFailToo() throws Exception {
        KitFixtures.DirectorySource source = new KitFixtures.DirectorySource(dir)
                .add(manifest(kit("v:a-kit:1"), KitFixtures.sha("1"), List.of(), kit("v:core-kit:1")))
                .add(manifest(kit("v:b-kit:1"), KitFixtures.sha("2"), List.of(), kit("v:core-kit:2")))
                .add(manifest(kit("v:core-kit:1"), KitFixtures.sha("3"), List.of()))
                .add(manifest(kit("v:core-kit:2"), KitFixtures.sha("4"), List.of()));
        List<KitRoot> roots = List.of(new KitRoot(kit("v:a-kit:1"), List.of("m", "v:a-kit:1")),
                new KitRoot(kit("v:b-kit:1"), List.of("m", "v:b-kit:1")));
        assertThatThrownBy(() -> KitGraph.resolve("m", roots, source))
                .hasMessageContaining("1 via m -> v:a-kit:1 -> v:core-kit:1")
                .hasMessageContaining("2 via m -> v:b-kit:1 -> v:core-kit:2");
    }

    @Test
    void aManifestThatDescribesAnotherKitIsRefused() throws Exception {
        KitFixtures.DirectorySource source = new KitFixtures.DirectorySource(dir);
        manifest(kit("v:evil-kit:1"), KitFixtures.sha("1"), List.of()).write(dir.resolve("v:core-kit:1.kit.toml"));
        assertThatThrownBy(() -> KitGraph.resolve("m", List.of(new KitRoot(kit("v:core-kit:1"), List.of("m"))), source))
                .hasMessageContaining("kit v:core-kit:1: its manifest").hasMessageContaining("describes v:evil-kit:1");
    }
}
