package dev.twoliter.engine.kit;

import static dev.twoliter.engine.kit.KitFixtures.kit;
import static dev.twoliter.engine.kit.KitFixtures.manifest;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LockFileTest {
    @TempDir
    Path dir;

    private static ResolvedKit resolved(String coords, String manifestSha, String payloadSha) {
        return new ResolvedKit(kit(coords), Path.of("x"), manifestSha, manifest(kit(coords), payloadSha, List.of()),
                List.of("m", coords));
    }

    @Test
    void roundTripsAndAcceptsTheKitsItWasWrittenFrom() throws Exception {
        List<ResolvedKit> kits = List.of(resolved("v:b-kit:2", "m2", "p2"), resolved("v:a-kit:1", "m1", "p1"));
        Path file = dir.resolve("twoliter.lock");
        LockFile.of(kits).write(file);

        LockFile read = LockFile.read(file);

        assertThat(read).isEqualTo(LockFile.of(kits));
        read.verify(kits, "x86_64", file);
        String text = Files.readString(file);
        assertThat(text.indexOf("a-kit")).isLessThan(text.indexOf("b-kit")).as("sorted, stable output");
        assertThat(text).contains("payload-sha256 = { x86_64 = \"p1\" }");
    }

    @Test
    void aChangedKitIsReportedWithExpectedAndFound() throws Exception {
        Path file = dir.resolve("twoliter.lock");
        LockFile lock = LockFile.of(List.of(resolved("v:core-kit:1", "m1", "p1")));

        assertThatThrownBy(() -> lock.verify(List.of(resolved("v:core-kit:1", "m9", "p1")), "x86_64", file))
                .isInstanceOf(KitException.class)
                .hasMessage("kit v:core-kit changed since twoliter.lock: expected manifest sha256 m1, found manifest"
                        + " sha256 m9. If the change is intended, run `mvn twoliter:update`.");
        assertThatThrownBy(() -> lock.verify(List.of(resolved("v:core-kit:1", "m1", "p9")), "x86_64", file))
                .hasMessageContaining("expected x86_64 payload sha256 p1, found x86_64 payload sha256 p9");
        assertThatThrownBy(() -> lock.verify(List.of(resolved("v:core-kit:2", "m1", "p1")), "x86_64", file))
                .hasMessageContaining("expected version 1, found version 2");
        assertThatThrownBy(() -> lock.verify(List.of(resolved("v:new-kit:1", "m", "p")), "x86_64", file))
                .hasMessageContaining("kit v:new-kit:1 (via m -> v:new-kit:1) is not in " + file);
        LockFile onlyOtherArch = new LockFile(java.util.Map.of("v:core-kit", new LockFile.Entry(kit("v:core-kit:1"), "m1",
                java.util.Map.of("aarch64", "p0"))));
        assertThatThrownBy(() -> onlyOtherArch.verify(List.of(resolved("v:core-kit:1", "m1", "p1")), "x86_64", file))
                .hasMessageContaining("is locked in " + file + " without its x86_64 payload");
        // A kit without a payload for the arch is not the lock's business; resolving the payload reports it.
        lock.verify(List.of(resolved("v:core-kit:1", "m1", "p1")), "aarch64", file);
    }

    @Test
    void aDamagedLockFileSaysHowToRegenerateIt() throws Exception {
        Path file = Files.writeString(dir.resolve("twoliter.lock"), "format-version = 1\n[[kit]]\ngroup-id = \"x\"\n");
        assertThatThrownBy(() -> LockFile.read(file)).hasMessageContaining("Regenerate it with `mvn twoliter:update`");
    }
}
