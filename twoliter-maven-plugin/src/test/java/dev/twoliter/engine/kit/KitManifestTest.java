package dev.twoliter.engine.kit;

import static dev.twoliter.engine.kit.KitFixtures.kit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KitManifestTest {
    @TempDir
    Path dir;

    @Test
    void roundTripsThroughToml() throws Exception {
        KitManifest manifest = KitFixtures.manifest(kit("com.example:core-kit:1.2.0"), "ab".repeat(32),
                List.of(new KitManifest.Rpm("libgreet", 2, "1.0", "1", "x86_64", "Packages/libgreet/a.rpm", "cd"),
                        new KitManifest.Rpm("greet \"quoted\"", 0, "1.0", "1", "noarch", "Packages/greet/b.rpm", "ef")),
                kit("com.example:base-kit:3.0"), kit("a.b:other-kit:1"));
        Path file = dir.resolve("m.kit.toml");
        manifest.write(file);

        KitManifest read = KitManifest.read(file, "test");

        assertThat(read.coordinates()).isEqualTo(manifest.coordinates());
        assertThat(read.sdk()).isEqualTo(manifest.sdk());
        assertThat(read.kitDependencies()).containsExactly(kit("a.b:other-kit:1"), kit("com.example:base-kit:3.0"));
        assertThat(read.payloads()).isEqualTo(manifest.payloads());
        assertThat(read.payload("x86_64").rpms().get(0).nevra()).isEqualTo("libgreet-2:1.0-1.x86_64");
        assertThat(read.toToml()).isEqualTo(Files.readString(file)).as("writing is deterministic");
    }

    @Test
    void namesWhatIsWrongWithABrokenManifest() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.kit.toml"), "format-version = 1\nname = \"k\"\n");
        assertThatThrownBy(() -> KitManifest.read(file, "com.example:k:1"))
                .isInstanceOf(KitException.class).hasMessageContaining("kit manifest com.example:k:1")
                .hasMessageContaining("lacks 'vendor'");
        Files.writeString(file, "format-version = 9\n");
        assertThatThrownBy(() -> KitManifest.read(file, "x")).hasMessageContaining("format-version 9");
        Files.writeString(file, "this is = = not toml");
        assertThatThrownBy(() -> KitManifest.read(file, "x")).hasMessageContaining("is not valid TOML");
    }

    @Test
    void aMissingArchIsNamed() {
        KitManifest manifest = KitFixtures.manifest(kit("g:k:1"), "00", List.of());
        assertThatThrownBy(() -> manifest.payload("aarch64")).hasMessageContaining("no payload for arch aarch64")
                .hasMessageContaining("it has: x86_64");
    }
}
