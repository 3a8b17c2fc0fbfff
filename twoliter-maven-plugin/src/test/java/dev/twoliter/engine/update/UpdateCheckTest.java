package dev.twoliter.engine.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.update.tuf.ExpirationPolicy;
import dev.twoliter.engine.update.tuf.TufKeyType;
import dev.twoliter.engine.update.tuf.TufRole;
import dev.twoliter.engine.update.tuf.TufSigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The machine's side: what it accepts from a repository, and what it refuses before any disk is touched. */
class UpdateCheckTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    @TempDir
    Path dir;

    private Path keys;
    private DirectoryStore store;
    private int runs;

    @BeforeEach
    void keys() throws Exception {
        keys = dir.resolve("keys");
        UpdateRepositoryKeys.generate(keys, TufKeyType.ED25519, Optional.empty(), Duration.ofDays(365), NOW);
        store = new DirectoryStore(dir.resolve("server"));
    }

    private void publish(String version, Instant at, WavePolicy waves) throws Exception {
        Path images = Files.createDirectories(dir.resolve("images-" + version));
        UpdatePayloads.Payload[] p = new UpdatePayloads.Payload[3];
        String[] roles = {"boot", "root", "hash"};
        for (int i = 0; i < 3; i++) {
            Path file = Files.writeString(images.resolve(roles[i] + ".zst"), roles[i] + " of " + version);
            p[i] = new UpdatePayloads.Payload(file, "img.zst");
        }
        Map<TufRole, List<TufSigningKey>> signers = new EnumMap<>(TufRole.class);
        for (TufRole role : List.of(TufRole.TARGETS, TufRole.SNAPSHOT, TufRole.TIMESTAMP)) {
            signers.put(role, List.of(TufSigningKey.load(UpdateRepositoryKeys.keyFile(keys, role), Optional.empty(),
                    "none")));
        }
        UpdateVersion v = UpdateVersion.parse(version).orElseThrow();
        PublishUpdate.run(new PublishUpdateRequest("os", "x86_64", v, v, new UpdatePayloads(p[0], p[1], p[2]),
                keys.resolve(UpdateRepositoryKeys.ROOT_FILE), signers, ExpirationPolicy.defaults(), waves, at,
                Files.createDirectories(dir.resolve("publish-" + version)), BuildLog.SILENT), store);
    }

    private Optional<UpdateCheck.Found> check(String current, int seed, Instant now) throws Exception {
        Path work = Files.createDirectories(dir.resolve("check-" + runs++));
        return UpdateCheck.run(new UpdateCheck.Request("os", "x86_64", UpdateVersion.parse(current).orElseThrow(),
                seed, Files.readAllBytes(keys.resolve(UpdateRepositoryKeys.ROOT_FILE)), dir.resolve("state"), work, now,
                BuildLog.SILENT), store);
    }

    @Test
    void findsTheNewestUpdateAndItsVerifiedImages() throws Exception {
        publish("1.0.0", NOW, WavePolicy.immediate());
        publish("1.1.0", NOW.plusSeconds(60), WavePolicy.immediate());
        UpdateCheck.Found found = check("1.0.0", 0, NOW.plusSeconds(120)).orElseThrow();
        assertThat(found.update().version().toString()).isEqualTo("1.1.0");
        assertThat(Files.readString(found.root())).isEqualTo("root of 1.1.0");
        assertThat(Files.readString(found.hash())).isEqualTo("hash of 1.1.0");
        assertThat(check("1.1.0", 0, NOW.plusSeconds(180))).isEmpty();
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
            Path root = files.filter(f -> f.getFileName().toString().endsWith("1.1.0-root.img.zst")).findFirst()
                    .orElseThrow();
            Files.writeString(root, "root of 1.1.X");
        }
        assertThatThrownBy(() -> check("1.0.0", 0, NOW.plusSeconds(60))).hasMessageContaining("Update 1.1.0 was"
                + " refused").hasMessageContaining("altered").hasMessageContaining("The disk was not changed");
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
