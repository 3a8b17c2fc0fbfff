package dev.twoliter.engine.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.update.tuf.ExpirationPolicy;
import dev.twoliter.engine.update.tuf.TrustedRepository;
import dev.twoliter.engine.update.tuf.TufClient;
import dev.twoliter.engine.update.tuf.TufKeyGenerator;
import dev.twoliter.engine.update.tuf.TufKeyType;
import dev.twoliter.engine.update.tuf.TufLimits;
import dev.twoliter.engine.update.tuf.TufRole;
import dev.twoliter.engine.update.tuf.TufSigningKey;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepositoryMaintenanceTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final UpdateRepositoryLayout LAYOUT = new UpdateRepositoryLayout("os", "x86_64");

    @TempDir
    Path dir;

    private Path keys;
    private DirectoryStore store;
    private int works;

    @BeforeEach
    void publishOne() throws Exception {
        keys = dir.resolve("keys");
        UpdateRepositoryKeys.generate(keys, TufKeyType.ED25519, Optional.empty(), Duration.ofDays(365), NOW);
        store = new DirectoryStore(dir.resolve("server"));
        Path images = Files.createDirectories(dir.resolve("images"));
        UpdatePayloads.Payload boot = new UpdatePayloads.Payload(Files.writeString(images.resolve("b"), "b"), "zst");
        UpdatePayloads.Payload root = new UpdatePayloads.Payload(Files.writeString(images.resolve("r"), "r"), "zst");
        UpdatePayloads.Payload hash = new UpdatePayloads.Payload(Files.writeString(images.resolve("h"), "h"), "zst");
        UpdateVersion v = UpdateVersion.parse("1.0.0").orElseThrow();
        PublishUpdate.run(new PublishUpdateRequest("os", "x86_64", v, v, new UpdatePayloads(boot, root, hash),
                keys.resolve(UpdateRepositoryKeys.ROOT_FILE), roleKeys(), ExpirationPolicy.defaults(),
                WavePolicy.immediate(), NOW, work(), BuildLog.SILENT), store);
    }

    private Path work() throws Exception {
        return Files.createDirectories(dir.resolve("work-" + works++));
    }

    private Map<TufRole, List<TufSigningKey>> roleKeys() throws Exception {
        Map<TufRole, List<TufSigningKey>> signers = new EnumMap<>(TufRole.class);
        for (TufRole role : List.of(TufRole.TARGETS, TufRole.SNAPSHOT, TufRole.TIMESTAMP)) {
            signers.put(role, List.of(key(UpdateRepositoryKeys.keyFile(keys, role))));
        }
        return signers;
    }

    private static TufSigningKey key(Path file) throws Exception {
        return TufSigningKey.load(file, Optional.empty(), "none");
    }

    private RepositoryMaintenance.Request request(Instant now) throws Exception {
        return new RepositoryMaintenance.Request(LAYOUT, keys.resolve(UpdateRepositoryKeys.ROOT_FILE), roleKeys(),
                ExpirationPolicy.defaults(), now, work(), BuildLog.SILENT);
    }

    private TrustedRepository client(Instant now) throws Exception {
        return TufClient.refresh(StoreSource.metadata(store, LAYOUT, work()),
                Files.readAllBytes(keys.resolve(UpdateRepositoryKeys.ROOT_FILE)), Optional.empty(), now,
                TufLimits.defaults());
    }

    @Test
    void reSigningKeepsAnIdleRepositoryValid() throws Exception {
        Instant later = NOW.plus(Duration.ofDays(6));
        RepositoryMaintenance.resign(request(later), store);
        TrustedRepository trusted = client(NOW.plus(Duration.ofDays(10)));
        assertThat(trusted.timestamp().version()).isEqualTo(2);
        assertThat(trusted.targets().targets()).containsKey("manifest.json");
        assertThatThrownBy(() -> client(NOW.plus(Duration.ofDays(14)))).hasMessageContaining("timestamp");
    }

    @Test
    void rotatingTheRootAndTheTimestampKeyKeepsClientsOnTheChain() throws Exception {
        Path newRoot = dir.resolve("new-root.pem");
        Path newTimestamp = dir.resolve("new-timestamp.pem");
        TufKeyGenerator.generate(newRoot, TufKeyType.RSASSA_PSS_SHA256, Optional.empty());
        TufKeyGenerator.generate(newTimestamp, TufKeyType.ED25519, Optional.empty());
        TufSigningKey oldRootKey = key(UpdateRepositoryKeys.keyFile(keys, TufRole.ROOT));
        assertThatThrownBy(() -> RepositoryMaintenance.rotateRoot(request(NOW.plusSeconds(60)), List.of(key(newRoot)),
                List.of(key(newRoot)), Map.of(), store)).hasMessageContaining("not authorised");
        RepositoryMaintenance.rotateRoot(request(NOW.plusSeconds(60)), List.of(oldRootKey), List.of(key(newRoot)),
                Map.of(TufRole.TIMESTAMP, List.of(key(newTimestamp))), store);
        assertThat(store.root.resolve("os/x86_64/2.root.json")).exists();
        TrustedRepository trusted = client(NOW.plusSeconds(120));
        assertThat(trusted.root().version()).isEqualTo(2);
        assertThat(trusted.root().role(TufRole.TIMESTAMP).keyIds()).containsExactly(key(newTimestamp).keyId());
        assertThat(trusted.root().role(TufRole.TARGETS).keyIds()).containsExactly(roleKeys().get(TufRole.TARGETS)
                .get(0).keyId());
    }
}
