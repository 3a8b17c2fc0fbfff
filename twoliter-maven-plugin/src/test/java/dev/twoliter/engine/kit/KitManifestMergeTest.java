package dev.twoliter.engine.kit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KitManifestMergeTest {
    private static final KitCoordinates KIT = new KitCoordinates("com.example", "core-kit", "1.0.0");
    private static final KitManifest.Sdk SDK = new KitManifest.Sdk("twoliter-sdk:0.3.0", "sha256:" + "a".repeat(64),
            "twoliter-sdk", "0.3.0");

    @TempDir
    Path dir;

    private Path archManifest(String arch, KitManifest.Sdk sdk) throws Exception {
        KitManifest.Rpm rpm = new KitManifest.Rpm("init", 0, "1", "1", arch, "Packages/init/init-1-1." + arch + ".rpm",
                10, "b".repeat(64), "MIT", List.of());
        KitManifest manifest = new KitManifest(KitManifest.FORMAT_VERSION, KIT, sdk, List.of(),
                Map.of(arch, new KitManifest.Payload("c".repeat(64), 100, List.of(rpm))));
        Path file = Files.createDirectories(dir.resolve(arch)).resolve("core-kit-1.0.0.kit.toml");
        manifest.write(file);
        return file;
    }

    @Test
    void theKitsManifestListsEveryArchsPayload() throws Exception {
        Path target = dir.resolve("core-kit-1.0.0.kit.toml");
        KitManifest merged = KitManifestMerge.merge(List.of(archManifest("x86_64", SDK), archManifest("aarch64", SDK)),
                target, "m");

        assertThat(merged.arches()).containsExactly("aarch64", "x86_64");
        KitManifest read = KitManifest.read(target, "test");
        assertThat(read.payloads()).containsOnlyKeys("x86_64", "aarch64");
        assertThat(read.payload("aarch64").rpms().get(0).arch()).isEqualTo("aarch64");

        Files.setLastModifiedTime(target, FileTime.from(Instant.ofEpochSecond(1000)));
        KitManifestMerge.merge(List.of(archManifest("x86_64", SDK), archManifest("aarch64", SDK)), target, "m");
        assertThat(Files.getLastModifiedTime(target).toInstant()).isEqualTo(Instant.ofEpochSecond(1000));
    }

    @Test
    void archesBuiltFromDifferentSdksAreRefused() throws Exception {
        KitManifest.Sdk other = new KitManifest.Sdk("twoliter-sdk:0.4.0", "sha256:" + "d".repeat(64), "twoliter-sdk",
                "0.4.0");
        List<Path> manifests = List.of(archManifest("x86_64", SDK), archManifest("aarch64", other));
        assertThatThrownBy(() -> KitManifestMerge.merge(manifests, dir.resolve("k.toml"), "com.example:core-kit"))
                .isInstanceOf(KitException.class).hasMessageContaining("com.example:core-kit: the kit's arches were"
                        + " built from different SDKs, kit dependencies or closure declarations");
    }
}
