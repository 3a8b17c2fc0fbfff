package dev.twoliter.engine.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.BuildLog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The machine's side: what it accepts from a repository, and what it refuses before any disk is touched. */
class UpdateCheckTest {
    private static final Instant NOW = UpdateRepositoryFixture.NOW;

    @TempDir
    Path dir;

    private UpdateRepositoryFixture repo;
    private DirectoryStore store;

    @BeforeEach
    void keys() throws Exception {
        repo = new UpdateRepositoryFixture(dir);
        store = (DirectoryStore) repo.store();
    }

    private void publish(String version, Instant at, WavePolicy waves) throws Exception {
        repo.publish(version, at, waves);
    }

    private Optional<UpdateCheck.Found> check(String current, int seed, Instant now) throws Exception {
        return UpdateCheck.run(new UpdateCheck.Request("os", "x86_64", UpdateVersion.parse(current).orElseThrow(),
                seed, false, dev.twoliter.engine.bank.Bank.B, repo.trustedRootBytes(), dir.resolve("state"), repo.newWorkDir(), now, BuildLog.SILENT), store);
    }

    @Test
    void findsTheNewestUpdateAndItsVerifiedImages() throws Exception {
        publish("1.0.0", NOW, WavePolicy.immediate());
        publish("1.1.0", NOW.plusSeconds(60), WavePolicy.immediate());
        UpdateCheck.Found found = check("1.0.0", 0, NOW.plusSeconds(120)).orElseThrow();
        assertThat(found.update().version().toString()).isEqualTo("1.1.0");
        assertThat(Files.readString(found.root())).isEqualTo("root image of 1.1.0");
        assertThat(Files.readString(found.hash())).isEqualTo("hash image of 1.1.0");
        assertThat(Files.readString(found.boot())).isEqualTo("boot image of 1.1.0");
        assertThat(check("1.1.0", 0, NOW.plusSeconds(180))).isEmpty();
    }

    @Test
    void aUkiMachineDownloadsTheUkiOfTheBankItWrites() throws Exception {
        repo.publishUki("1.0.0");
        repo.publishUki("1.1.0");
        for (dev.twoliter.engine.bank.Bank bank : dev.twoliter.engine.bank.Bank.values()) {
            UpdateCheck.Found found = UpdateCheck.run(new UpdateCheck.Request("os", "x86_64",
                    UpdateVersion.parse("1.0.0").orElseThrow(), 0, true, bank, repo.trustedRootBytes(),
                    dir.resolve("state"), repo.newWorkDir(), NOW.plusSeconds(60), BuildLog.SILENT), store)
                    .orElseThrow();
            assertThat(Files.readString(found.boot())).isEqualTo("uki-" + bank.name().toLowerCase(
                    java.util.Locale.ROOT) + " image of 1.1.0");
            assertThat(found.update().images().boot()).isEmpty();
        }
        assertThatThrownBy(() -> check("1.0.0", 0, NOW.plusSeconds(60))).hasMessageContaining("is for UKI images")
                .hasMessageContaining("cannot change the boot loader");
    }

    @Test
    void aLateWaveWaitsForItsStart() throws Exception {
        publish("1.0.0", NOW, WavePolicy.immediate());
        publish("1.1.0", NOW, WavePolicy.of(List.of(new UpdateWave(Duration.ZERO, 10),
                new UpdateWave(Duration.ofHours(6), 100)), "waves"));
        assertThat(check("1.0.0", 100, NOW.plusSeconds(60))).isPresent();
        assertThat(check("1.0.0", 2000, NOW.plusSeconds(60))).isEmpty();
        assertThat(check("1.0.0", 2000, NOW.plus(Duration.ofHours(7)))).isPresent();
    }

    @Test
    void refusesAnImageAlteredOnTheServer() throws Exception {
        publish("1.0.0", NOW, WavePolicy.immediate());
        publish("1.1.0", NOW, WavePolicy.immediate());
        try (Stream<Path> files = Files.list(store.root.resolve("targets"))) {
            Path root = files.filter(f -> f.getFileName().toString().endsWith("1.1.0-root.ext4.zst")).findFirst()
                    .orElseThrow();
            Files.writeString(root, "root image of 1.1.X");
        }
        assertThatThrownBy(() -> check("1.0.0", 0, NOW.plusSeconds(60))).hasMessageContaining("Update 1.1.0 from the"
                + " update repository at " + store.location() + " was refused").hasMessageContaining("altered").hasMessageContaining("The disk was not changed");
    }

    @Test
    void refusesAnExpiredTimestamp() throws Exception {
        publish("1.0.0", NOW, WavePolicy.immediate());
        assertThatThrownBy(() -> check("0.9.0", 0, NOW.plus(Duration.ofDays(8))))
                .hasMessageContaining("was refused").hasMessageContaining("timestamp.json")
                .hasMessageContaining("The disk was not changed");
    }

    @Test
    void refusesOlderMetadataThanItAcceptedBefore() throws Exception {
        publish("1.0.0", NOW, WavePolicy.immediate());
        Path meta = store.root.resolve("os/x86_64");
        Path saved = Files.createDirectories(dir.resolve("old"));
        for (String f : List.of("timestamp.json", "1.snapshot.json")) {
            Files.copy(meta.resolve(f), saved.resolve(f));
        }
        publish("1.1.0", NOW.plusSeconds(60), WavePolicy.immediate());
        assertThat(check("1.0.0", 0, NOW.plusSeconds(120))).isPresent();
        // The server (or someone between) replays the first, still valid, timestamp.
        Files.copy(saved.resolve("timestamp.json"), meta.resolve("timestamp.json"), StandardCopyOption.REPLACE_EXISTING);
        assertThatThrownBy(() -> check("1.0.0", 0, NOW.plusSeconds(180))).hasMessageContaining("was refused")
                .hasMessageContaining("timestamp.json");
    }
}
