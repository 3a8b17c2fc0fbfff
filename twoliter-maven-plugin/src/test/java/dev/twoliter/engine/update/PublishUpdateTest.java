package dev.twoliter.engine.update;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.update.tuf.TrustedRepository;
import dev.twoliter.engine.update.tuf.TufClient;
import dev.twoliter.engine.update.tuf.TufLimits;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PublishUpdateTest {
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

    private PublishUpdateRequest request(String version, Instant now) throws Exception {
        return repo.request(version, now, WavePolicy.immediate());
    }

    private TrustedRepository clientView(Instant now) throws Exception {
        return TufClient.refresh(StoreSource.metadata(store, UpdateRepositoryFixture.LAYOUT, repo.newWorkDir()),
                repo.trustedRootBytes(), Optional.empty(), now, TufLimits.defaults());
    }

    @Test
    void aLaterPublicationReadsEachMetadataFileOnce() throws Exception {
        PublishUpdate.run(request("1.0.0", UpdateRepositoryFixture.NOW), store);
        store.downloads.clear();
        PublishUpdate.run(request("1.1.0", UpdateRepositoryFixture.NOW.plusSeconds(60)), store);
        assertThat(store.downloads).filteredOn(p -> p.endsWith("timestamp.json")).hasSize(1);
        assertThat(store.downloads).doesNotHaveDuplicates();
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
