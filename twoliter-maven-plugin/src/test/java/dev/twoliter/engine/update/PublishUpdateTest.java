package dev.twoliter.engine.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.update.tuf.ExpirationPolicy;
import dev.twoliter.engine.update.tuf.TrustedRepository;
import dev.twoliter.engine.update.tuf.TufClient;
import dev.twoliter.engine.update.tuf.TufKeyType;
import dev.twoliter.engine.update.tuf.TufLimits;
import dev.twoliter.engine.update.tuf.TufRole;
import dev.twoliter.engine.update.tuf.TufSigningKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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

class PublishUpdateTest {
    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");

    @TempDir
    Path dir;

    private Path keys;
    private DirectoryStore store;

    @BeforeEach
    void keys() throws Exception {
        keys = dir.resolve("keys");
        UpdateRepositoryKeys.generate(keys, TufKeyType.ED25519, Optional.empty(), Duration.ofDays(365), NOW);
        store = new DirectoryStore(dir.resolve("server"));
    }

    private PublishUpdateRequest request(String version, Instant now) throws Exception {
        Path images = Files.createDirectories(dir.resolve("images-" + version));
        UpdatePayloads payloads = new UpdatePayloads(payload(images, "boot", "ext4.zst", version),
                payload(images, "root", "ext4.zst", version), payload(images, "hash", "verity.zst", version));
        Map<TufRole, List<TufSigningKey>> signers = new EnumMap<>(TufRole.class);
        for (TufRole role : List.of(TufRole.TARGETS, TufRole.SNAPSHOT, TufRole.TIMESTAMP)) {
            signers.put(role, List.of(TufSigningKey.load(UpdateRepositoryKeys.keyFile(keys, role), Optional.empty(),
                    "none")));
        }
        Path work = Files.createDirectories(dir.resolve("work-" + version + "-" + now.getEpochSecond()));
        UpdateVersion v = UpdateVersion.parse(version).orElseThrow();
        return new PublishUpdateRequest("os", "x86_64", v, v, payloads, keys.resolve(UpdateRepositoryKeys.ROOT_FILE),
                signers, ExpirationPolicy.defaults(), WavePolicy.immediate(), now, work, BuildLog.SILENT);
    }

    private static UpdatePayloads.Payload payload(Path dir, String role, String type, String version)
            throws IOException {
        Path file = dir.resolve(role + "." + type);
        Files.writeString(file, role + " image of " + version);
        return new UpdatePayloads.Payload(file, type);
    }

    private TrustedRepository clientView(Instant now) throws Exception {
        byte[] root = Files.readAllBytes(keys.resolve(UpdateRepositoryKeys.ROOT_FILE));
        Path work = Files.createDirectories(dir.resolve("client-" + now.getEpochSecond()));
        return TufClient.refresh(StoreSource.metadata(store, new UpdateRepositoryLayout("os", "x86_64"), work), root,
                Optional.empty(), now, TufLimits.defaults());
    }

    @Test
    void publishesTwoVersionsThatAClientVerifiesFromTheTrustedRoot() throws Exception {
        PublishUpdateResult first = PublishUpdate.run(request("1.0.0", NOW), store);
        assertThat(first.newRepository()).isTrue();
        assertThat(store.uploads).startsWith("targets/" + first.targets().get(0).sha256() + "."
                + first.targets().get(0).name()).endsWith("os/x86_64/timestamp.json").contains("os/x86_64/1.root.json");
        PublishUpdateResult second = PublishUpdate.run(request("1.1.0", NOW.plusSeconds(60)), store);
        assertThat(second.newRepository()).isFalse();
        assertThat(second.targetsVersion()).isEqualTo(2);

        TrustedRepository trusted = clientView(NOW.plusSeconds(120));
        assertThat(trusted.targets().targets()).containsKeys("os-x86_64-1.0.0-boot.ext4.zst",
                "os-x86_64-1.1.0-root.ext4.zst", "os-x86_64-1.1.0-hash.verity.zst", "manifest.json");
        Path manifest = dir.resolve("manifest.json");
        trusted.fetchTarget("manifest.json", StoreSource.targets(store, new UpdateRepositoryLayout("os", "x86_64"),
                Files.createDirectories(dir.resolve("t"))), manifest);
        UpdateManifest m = UpdateManifest.parse(Files.readAllBytes(manifest), "manifest.json");
        assertThat(m.updates()).extracting(u -> u.version().toString()).containsExactly("1.1.0", "1.0.0");
    }

    @Test
    void refusesAVersionAlreadyPublishedAndUploadsNothing() throws Exception {
        PublishUpdate.run(request("1.0.0", NOW), store);
        int before = store.uploads.size();
        assertThatThrownBy(() -> PublishUpdate.run(request("1.0.0", NOW.plusSeconds(60)), store))
                .hasMessageContaining("version 1.0.0 of os (x86_64) is already in the update repository");
        assertThat(store.uploads).hasSize(before);
    }

    @Test
    void refusesARepositoryWhoseMetadataWasChangedWithoutTheKeys() throws Exception {
        PublishUpdate.run(request("1.0.0", NOW), store);
        Path timestamp = store.root.resolve("os/x86_64/timestamp.json");
        String forged = Files.readString(timestamp).replaceFirst("\"version\":1", "\"version\":7");
        Files.writeString(timestamp, forged, StandardCharsets.UTF_8);
        assertThatThrownBy(() -> PublishUpdate.run(request("1.1.0", NOW.plusSeconds(60)), store))
                .isInstanceOf(TwoliterException.class)
                .hasMessageContaining("does not verify from the trusted root").hasMessageContaining("Nothing was published");
    }

    @Test
    void refusesAForeignRootLeftInANewRepository() throws Exception {
        Files.createDirectories(store.root.resolve("os/x86_64"));
        Files.writeString(store.root.resolve("os/x86_64/1.root.json"), "{}");
        assertThatThrownBy(() -> PublishUpdate.run(request("1.0.0", NOW), store))
                .hasMessageContaining("differs from the trusted root");
    }

    @Test
    void refusesAnExpiredTrustedRoot() throws Exception {
        assertThatThrownBy(() -> PublishUpdate.run(request("1.0.0", NOW.plus(Duration.ofDays(400))), store))
                .hasMessageContaining("expired");
    }
}
