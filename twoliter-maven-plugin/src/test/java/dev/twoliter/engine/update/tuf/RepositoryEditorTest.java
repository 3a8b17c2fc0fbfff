package dev.twoliter.engine.update.tuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RepositoryEditorTest {
    @TempDir
    Path dir;
    TestRepo repo;

    @BeforeEach
    void setUp() throws Exception {
        repo = new TestRepo(dir);
    }

    @Test
    void aNewRepositoryIsWrittenInUploadOrderAndVerifies() throws Exception {
        var files = RepositoryEditor.publish(Optional.empty(), repo.root, repo.target("a.img", "A"), repo.signers(),
                ExpirationPolicy.defaults(), TestRepo.NOW);
        assertThat(files.keySet()).containsExactly("1.root.json", "1.targets.json", "1.snapshot.json",
                "timestamp.json");
        repo.upload(files);
        TrustedRepository trusted = repo.refresh(Optional.empty(), TestRepo.NOW);
        assertThat(trusted.targets().targets()).containsOnlyKeys("a.img");
        assertThat(trusted.timestamp().expires()).isEqualTo(TestRepo.NOW.plus(Duration.ofDays(7)));
        assertThat(trusted.snapshot().targets().length()).hasValue(files.get("1.targets.json").length);
        assertThat(trusted.timestamp().snapshot().hashes()).containsOnlyKeys("sha256");
        Path out = trusted.fetchTarget("a.img", repo.source(), dir.resolve("out/a.img"));
        assertThat(Files.readString(out)).isEqualTo("A");
    }

    @Test
    void aSecondPublishKeepsTheFirstTargetsAndBumpsVersions() throws Exception {
        TrustedRepository first = repo.publish(Optional.empty(), repo.target("a.img", "A"), TestRepo.NOW);
        TreeMap<String, TargetFile> added = new TreeMap<>(repo.target("b.img", "B"));
        added.putAll(repo.target("a.img", "A"));
        var files = RepositoryEditor.publish(Optional.of(first), null, added, repo.signers(),
                ExpirationPolicy.defaults(), TestRepo.NOW.plusSeconds(60));
        assertThat(files.keySet()).containsExactly("2.targets.json", "2.snapshot.json", "timestamp.json");
        repo.upload(files);
        TrustedRepository second = repo.refresh(Optional.of(first), TestRepo.NOW.plusSeconds(60));
        assertThat(second.targets().version()).isEqualTo(2);
        assertThat(second.snapshot().version()).isEqualTo(2);
        assertThat(second.timestamp().version()).isEqualTo(2);
        assertThat(second.targets().targets()).containsOnlyKeys("a.img", "b.img");
        assertThat(second.targets().targets().get("a.img")).isEqualTo(first.targets().targets().get("a.img"));
    }

    @Test
    void aTargetCannotChangeContent() throws Exception {
        TrustedRepository first = repo.publish(Optional.empty(), repo.target("a.img", "A"), TestRepo.NOW);
        assertThatThrownBy(() -> RepositoryEditor.publish(Optional.of(first), null, repo.target("a.img", "changed"),
                repo.signers(), ExpirationPolicy.defaults(), TestRepo.NOW)).isInstanceOf(TufException.class)
                .hasMessageContaining("Target \"a.img\" is already published with other content");
    }

    @Test
    void keysMustBeAuthorisedAndMeetTheThreshold() throws Exception {
        Map<TufRole, List<TufSigningKey>> wrong = new EnumMap<>(repo.signers());
        wrong.put(TufRole.SNAPSHOT, List.of(repo.targets));
        assertThatThrownBy(() -> RepositoryEditor.publish(Optional.empty(), repo.root, repo.target("a", "A"), wrong,
                ExpirationPolicy.defaults(), TestRepo.NOW)).isInstanceOf(TufException.class)
                .hasMessageContaining("not authorised for the snapshot role")
                .hasMessageContaining(repo.snapshot.keyId()).hasMessageContaining(repo.targets.keyId());
        Map<TufRole, List<TufSigningKey>> few = new EnumMap<>(repo.signers());
        few.put(TufRole.ROOT, List.of(repo.root1, repo.root1));
        assertThatThrownBy(() -> RepositoryEditor.publish(Optional.empty(), repo.root, repo.target("a", "A"), few,
                ExpirationPolicy.defaults(), TestRepo.NOW)).isInstanceOf(TufException.class)
                .hasMessageContaining("Only 1 distinct root keys").hasMessageContaining("threshold 2");
    }

    @Test
    void newRootChecksThresholdsAndHostileTargetNamesAreRefused() throws Exception {
        assertThatThrownBy(() -> RepositoryEditor.newRoot(Map.of(TufRole.ROOT, List.of(repo.root1.publicKey())),
                Map.of(TufRole.ROOT, 2), TestRepo.NOW)).isInstanceOf(TufException.class)
                .hasMessageContaining("The root role has 1 distinct keys and threshold 2");
        for (String name : List.of("/etc/passwd", "../x", "a/../../x", "a//b", "a\\b", "a\u0000", "", ".", "a/",
                "x".repeat(256))) {
            assertThatThrownBy(() -> Fields.checkTargetName(name, "t")).as(name).isInstanceOf(TufException.class);
        }
        Fields.checkTargetName("bottlerocket-aws-k8s-1.31-x86_64-v1.2.3.img.lz4", "t");
        Fields.checkTargetName("migrations/v1.2.3/migrate_x.lz4", "t");
    }
}
