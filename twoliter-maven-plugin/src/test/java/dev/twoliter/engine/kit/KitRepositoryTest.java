package dev.twoliter.engine.kit;

import static dev.twoliter.engine.kit.KitFixtures.kit;
import static dev.twoliter.engine.kit.KitFixtures.sha;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.io.Digests;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class KitRepositoryTest {
    private static final KitManifest.Sdk SDK = new KitManifest.Sdk("sdk:1", KitFixtures.SDK_ID, "sdk", "1");

    private static KitRepository repository(KitCoordinates coordinates) {
        return new KitRepository(coordinates, Path.of("/cache/x"), sha("p"), SDK);
    }

    @Test
    void kitsWhoseReadableNamesCoincideGetDifferentRepoIds() {
        String first = repository(kit("a-b:c:1")).repoId();
        String second = repository(kit("a:b-c:1")).repoId();

        assertThat(first).isEqualTo("kit-a-b-c-" + Digests.sha256("a-b:c").substring(0, 8));
        assertThat(second).isEqualTo("kit-a-b-c-" + Digests.sha256("a:b-c").substring(0, 8));
        assertThat(first).isNotEqualTo(second);
        assertThat(repository(kit("a-b:c:2")).repoId()).as("the version is not part of it").isEqualTo(first);
    }

    @Test
    void longCoordinatesStillGiveAShortId() {
        String id = repository(kit("g".repeat(255) + ":" + "a".repeat(255) + ":1")).repoId();
        assertThat(id).hasSizeLessThan(128).matches("kit-g+-[0-9a-f]{8}");
    }

    @Test
    void refusesInvalidCoordinatesAndDigests() {
        assertThatThrownBy(() -> repository(kit("a/b:c:1"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid coordinates 'a/b':'c':'1'");
        assertThatThrownBy(() -> repository(new KitCoordinates("a", "c", "1 2")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new KitRepository(kit("a:c:1"), Path.of("/x"), "../x", SDK))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("invalid payload sha256 '../x'");
    }
}
