package dev.twoliter.engine.update.tuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TufClientTest {
    static final Instant LATER = TestRepo.NOW.plus(Duration.ofDays(1));

    @TempDir
    Path dir;
    TestRepo repo;
    TrustedRepository first;

    @BeforeEach
    void setUp() throws Exception {
        repo = new TestRepo(dir);
        first = repo.publish(Optional.empty(), repo.target("a.img", "AAAA"), TestRepo.NOW);
    }

    private TrustedRepository second() throws Exception {
        return repo.publish(Optional.of(first), repo.target("b.img", "B"), LATER);
    }

    @Test
    void anExpiredTimestampIsAFreezeAttack() {
        assertThatThrownBy(() -> repo.refresh(Optional.empty(), TestRepo.NOW.plus(Duration.ofDays(7))))
                .isInstanceOf(TufException.class)
                .hasMessageContaining("timestamp.json (timestamp metadata) expired at 2026-12-08T00:00:00Z");
    }

    @Test
    void anExpiredRootIsRefused() {
        assertThatThrownBy(() -> repo.refresh(Optional.empty(), TestRepo.NOW.plus(Duration.ofDays(400))))
                .isInstanceOf(TufException.class).hasMessageContaining("1.root.json (root metadata) expired");
    }

    @Test
    void anOlderTimestampThanTheTrustedOneIsARollback() throws Exception {
        byte[] oldTimestamp = Files.readAllBytes(repo.server.resolve("timestamp.json"));
        TrustedRepository second = second();
        Files.write(repo.server.resolve("timestamp.json"), oldTimestamp);
        assertThatThrownBy(() -> repo.refresh(Optional.of(second), LATER)).isInstanceOf(TufException.class)
                .hasMessageContaining("timestamp.json: its version is 1, lower than version 2 trusted before");
        assertThat(repo.refresh(Optional.empty(), LATER).timestamp().version()).isEqualTo(1);
    }

    @Test
    void aTimestampListingAnOlderSnapshotIsARollback() throws Exception {
        TrustedRepository second = second();
        byte[] oldSnapshot = Files.readAllBytes(repo.server.resolve("1.snapshot.json"));
        signTimestamp(3, MetaFile.of(1, oldSnapshot));
        assertThatThrownBy(() -> repo.refresh(Optional.of(second), LATER)).isInstanceOf(TufException.class)
                .hasMessageContaining("the snapshot version it lists is 1, lower than version 2");
    }

    @Test
    void aSnapshotListingOlderTargetsIsARollback() throws Exception {
        TrustedRepository second = second();
        byte[] oldTargets = Files.readAllBytes(repo.server.resolve("1.targets.json"));
        byte[] snapshot = SignedMetadata.sign(new SnapshotMetadata(3, LATER.plus(Duration.ofDays(1)), new TreeMap<>(
                Map.of("targets.json", MetaFile.of(1, oldTargets)))).toJson(), List.of(repo.snapshot));
        Files.write(repo.server.resolve("3.snapshot.json"), snapshot);
        signTimestamp(3, MetaFile.of(3, snapshot));
        assertThatThrownBy(() -> repo.refresh(Optional.of(second), LATER)).isInstanceOf(TufException.class)
                .hasMessageContaining("3.snapshot.json: the version of targets.json it lists is 1, lower than"
                        + " version 2");
    }

    @Test
    void aSnapshotOrTargetsFileThatDiffersFromItsListingIsRefused() throws Exception {
        Path snapshot = repo.server.resolve("1.snapshot.json");
        byte[] original = Files.readAllBytes(snapshot);
        Files.writeString(snapshot, new String(original, StandardCharsets.UTF_8) + " ");
        assertThatThrownBy(() -> repo.refresh(Optional.empty(), TestRepo.NOW)).isInstanceOf(TufException.class)
                .hasMessageContaining("1.snapshot.json from the repository is larger than " + original.length
                        + " bytes");
        Files.write(snapshot, new String(original, StandardCharsets.UTF_8).replace("\"version\":1",
                "\"version\":7").getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> repo.refresh(Optional.empty(), TestRepo.NOW)).isInstanceOf(TufException.class)
                .hasMessageContaining("1.snapshot.json has sha256 ").hasMessageContaining("but timestamp.json"
                        + " version 1 lists");
        Files.write(snapshot, original);
        Path targets = repo.server.resolve("1.targets.json");
        Files.writeString(targets, Files.readString(targets).replace("\"version\":1", "\"version\":7"));
        assertThatThrownBy(() -> repo.refresh(Optional.empty(), TestRepo.NOW)).isInstanceOf(TufException.class)
                .hasMessageContaining("1.targets.json has sha256 ").hasMessageContaining("but 1.snapshot.json lists");
    }

    @Test
    void rootRotationIsFollowedAndRotatedTimestampKeysResetRollbackChecks() throws Exception {
        TufSigningKey root4 = repo.key("root4");
        TufSigningKey timestamp2 = repo.key("timestamp2");
        RootMetadata v2 = rotated(List.of(repo.root2, repo.root3, root4), timestamp2);
        repo.upload(RepositoryEditor.rotateRoot(first, v2, List.of(repo.root1, repo.root2),
                List.of(repo.root3, root4)));
        var keys = new java.util.EnumMap<>(repo.signers());
        keys.put(TufRole.TIMESTAMP, List.of(timestamp2));
        repo.upload(RepositoryEditor.publish(Optional.of(first), v2, repo.target("b.img", "B"), keys,
                ExpirationPolicy.defaults(), LATER));
        TrustedRepository after = repo.refresh(Optional.of(first), LATER);
        assertThat(after.root()).isEqualTo(v2);
        assertThat(new String(after.rootFileBytes(), StandardCharsets.UTF_8)).contains("\"version\":2");
        assertThat(after.targets().targets()).containsOnlyKeys("a.img", "b.img");
    }

    @Test
    void aRootSignedOnlyByTheNewKeysIsRefused() throws Exception {
        TufSigningKey root4 = repo.key("root4");
        TufSigningKey root5 = repo.key("root5");
        RootMetadata v2 = rotated(List.of(root4, root5), repo.timestamp);
        assertThatThrownBy(() -> RepositoryEditor.rotateRoot(first, v2, List.of(), List.of(root4, root5)))
                .isInstanceOf(TufException.class).hasMessageContaining("Only 0 distinct root keys");
        repo.upload(Map.of("2.root.json", SignedMetadata.sign(v2.toJson(), List.of(root4, root5))));
        assertThatThrownBy(() -> repo.refresh(Optional.empty(), TestRepo.NOW)).isInstanceOf(TufException.class)
                .hasMessageContaining("2.root.json (checked with the keys of the previous root) is signed by 0 of");
    }

    @Test
    void aRootWithTheWrongVersionIsRefused() throws Exception {
        RootMetadata v3 = new RootMetadata(3, repo.root.expires(), true, repo.root.keys(), repo.root.roles());
        repo.upload(Map.of("2.root.json", SignedMetadata.sign(v3.toJson(), List.of(repo.root1, repo.root2))));
        assertThatThrownBy(() -> repo.refresh(Optional.empty(), TestRepo.NOW)).isInstanceOf(TufException.class)
                .hasMessageContaining("2.root.json holds root version 3, expected 2");
    }

    @Test
    void targetsWithWrongLengthOrHashAreNotInstalled() throws Exception {
        String sha = first.targets().targets().get("a.img").hashes().get("sha256");
        Path stored = repo.server.resolve(sha + ".a.img");
        Path out = dir.resolve("disk/a.img");
        Files.writeString(stored, "AAAB");
        assertThatThrownBy(() -> first.fetchTarget("a.img", repo.source(), out)).isInstanceOf(TufException.class)
                .hasMessageContaining("Target " + sha + ".a.img has sha256 ").hasMessageContaining("not installed");
        Files.writeString(stored, "AAAAA");
        assertThatThrownBy(() -> first.fetchTarget("a.img", repo.source(), out)).isInstanceOf(TufException.class)
                .hasMessageContaining("has more than 4 bytes, but 1.targets.json lists 4");
        Files.writeString(stored, "AAA");
        assertThatThrownBy(() -> first.fetchTarget("a.img", repo.source(), out)).isInstanceOf(TufException.class)
                .hasMessageContaining("has 3 bytes");
        assertThatThrownBy(() -> first.fetchTarget("z.img", repo.source(), out)).isInstanceOf(TufException.class)
                .hasMessageContaining("Target \"z.img\" is not listed in 1.targets.json");
        try (Stream<Path> left = Files.list(out.getParent())) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void delegationsAreRefused() throws Exception {
        ObjectNode signed = first.targets().toJson();
        signed.putObject("delegations").putArray("roles").addObject().put("name", "other");
        assertThatThrownBy(() -> TargetsMetadata.fromJson(signed, "2.targets.json")).isInstanceOf(TufException.class)
                .hasMessageContaining("2.targets.json declares delegated roles");
    }

    @Test
    void aRepositoryWrittenWithPythonIsAccepted() throws Exception {
        Path server = Files.createDirectories(dir.resolve("python"));
        for (String name : List.of("1.root.json", "1.targets.json", "1.snapshot.json", "timestamp.json",
                "e757de90063252473a3443965fb04722fbad5f7bbe40382da7dde106ddcec499.hello.txt")) {
            try (var in = getClass().getResourceAsStream("python-repo/" + name)) {
                Files.write(server.resolve(name), in.readAllBytes());
            }
        }
        RepositorySource source = (name, max) -> Optional.of(server.resolve(name)).filter(Files::exists);
        TrustedRepository trusted = TufClient.refresh(source, Files.readAllBytes(server.resolve("1.root.json")),
                Optional.empty(), TestRepo.NOW, TufLimits.defaults());
        assertThat(trusted.root().keys().values()).extracting(TufPublicKey::keyType).contains("rsa", "ed25519");
        assertThat(trusted.targets().targets().get("hello.txt").custom().orElseThrow().get("note").asText())
                .isEqualTo("ünïcode");
        Path out = trusted.fetchTarget("hello.txt", source, dir.resolve("hello.txt"));
        assertThat(Files.readString(out)).isEqualTo("hello from python\n");
    }

    private void signTimestamp(int version, MetaFile snapshot) throws Exception {
        repo.upload(Map.of("timestamp.json", SignedMetadata.sign(new TimestampMetadata(version,
                LATER.plus(Duration.ofDays(1)), snapshot).toJson(), List.of(repo.timestamp))));
    }

    private RootMetadata rotated(List<TufSigningKey> rootKeys, TufSigningKey timestamp) throws Exception {
        return new RootMetadata(2, TestRepo.NOW.plus(Duration.ofDays(365)), true, RepositoryEditor.newRoot(Map.of(
                TufRole.ROOT, rootKeys.stream().map(TufSigningKey::publicKey).toList(), TufRole.TARGETS,
                List.of(repo.targets.publicKey()), TufRole.SNAPSHOT, List.of(repo.snapshot.publicKey()),
                TufRole.TIMESTAMP, List.of(timestamp.publicKey())), Map.of(TufRole.ROOT, 2, TufRole.TARGETS, 1,
                TufRole.SNAPSHOT, 1, TufRole.TIMESTAMP, 1), TestRepo.NOW).keys(), RepositoryEditor.newRoot(Map.of(
                TufRole.ROOT, rootKeys.stream().map(TufSigningKey::publicKey).toList(), TufRole.TARGETS,
                List.of(repo.targets.publicKey()), TufRole.SNAPSHOT, List.of(repo.snapshot.publicKey()),
                TufRole.TIMESTAMP, List.of(timestamp.publicKey())), Map.of(TufRole.ROOT, 2, TufRole.TARGETS, 1,
                TufRole.SNAPSHOT, 1, TufRole.TIMESTAMP, 1), TestRepo.NOW).roles());
    }
}
