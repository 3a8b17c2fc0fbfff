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
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepositoryMaintenanceTest {
    private static final Instant NOW = UpdateRepositoryFixture.NOW;
    private static final UpdateRepositoryLayout LAYOUT = UpdateRepositoryFixture.LAYOUT;

    @TempDir
    Path dir;

    private UpdateRepositoryFixture repo;
    private Path keys;
    private DirectoryStore store;

    @BeforeEach
    void publishOne() throws Exception {
        repo = new UpdateRepositoryFixture(dir);
        keys = repo.keys();
        store = (DirectoryStore) repo.store();
        repo.publish("1.0.0");
    }

    private Map<TufRole, List<TufSigningKey>> roleKeys() throws Exception {
        return repo.roleKeys();
    }

    private static TufSigningKey key(Path file) throws Exception {
        return UpdateRepositoryFixture.key(file);
    }

    private RepositoryMaintenance.Request request(Instant now) throws Exception {
        return new RepositoryMaintenance.Request(LAYOUT, repo.trustedRoot(), roleKeys(), ExpirationPolicy.defaults(),
                now, repo.newWorkDir(), BuildLog.SILENT);
    }

    private TrustedRepository client(Instant now) throws Exception {
        return TufClient.refresh(StoreSource.metadata(store, LAYOUT, repo.newWorkDir()), repo.trustedRootBytes(),
                Optional.empty(), now, TufLimits.defaults());
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
