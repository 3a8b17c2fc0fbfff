package dev.twoliter.engine.update.tuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SignedMetadataTest {
    @TempDir
    Path dir;
    TestRepo repo;

    @BeforeEach
    void setUp() throws Exception {
        repo = new TestRepo(dir);
    }

    private SignedMetadata signedBy(TufSigningKey... keys) throws Exception {
        return SignedMetadata.parse(SignedMetadata.sign(repo.root.toJson(), List.of(keys)), "1.root.json");
    }

    @Test
    void twoOfThreeRootKeysMeetTheThreshold() throws Exception {
        signedBy(repo.root1, repo.root3).verify(TufRole.ROOT, repo.root, "1.root.json");
        assertThatThrownBy(() -> signedBy(repo.root2).verify(TufRole.ROOT, repo.root, "1.root.json"))
                .isInstanceOf(TufException.class).hasMessageContaining("1.root.json is signed by 1 of the root")
                .hasMessageContaining("requires 2 of").hasMessageContaining(repo.root2.keyId());
    }

    @Test
    void repeatedSignaturesOfOneKeyCountOnce() throws Exception {
        byte[] file = SignedMetadata.sign(repo.root.toJson(), List.of(repo.root1));
        ObjectNode json = (ObjectNode) Fields.MAPPER.readTree(file);
        ArrayNode sigs = (ArrayNode) json.get("signatures");
        sigs.add(sigs.get(0).deepCopy());
        SignedMetadata doubled = SignedMetadata.parse(Fields.MAPPER.writeValueAsBytes(json), "1.root.json");
        assertThat(doubled.signatures()).hasSize(2);
        assertThatThrownBy(() -> doubled.verify(TufRole.ROOT, repo.root, "1.root.json"))
                .isInstanceOf(TufException.class).hasMessageContaining("signed by 1 of");
    }

    @Test
    void signaturesOfUnauthorisedKeysAreIgnored() throws Exception {
        signedBy(repo.targets, repo.root1, repo.snapshot, repo.root2).verify(TufRole.ROOT, repo.root, "x");
        assertThatThrownBy(() -> signedBy(repo.targets, repo.snapshot, repo.timestamp, repo.root1)
                .verify(TufRole.ROOT, repo.root, "x")).isInstanceOf(TufException.class);
    }

    @Test
    void aChangedSignedObjectFailsVerification() throws Exception {
        byte[] file = SignedMetadata.sign(repo.root.toJson(), List.of(repo.root1, repo.root2));
        ObjectNode json = (ObjectNode) Fields.MAPPER.readTree(file);
        ((ObjectNode) json.get("signed")).put("expires", "2099-01-01T00:00:00Z");
        SignedMetadata changed = SignedMetadata.parse(Fields.MAPPER.writeValueAsBytes(json), "1.root.json");
        assertThatThrownBy(() -> changed.verify(TufRole.ROOT, repo.root, "1.root.json"))
                .isInstanceOf(TufException.class).hasMessageContaining("signed by 0 of");
    }

    @Test
    void unknownFieldsAreKeptInTheSignedBytes() throws Exception {
        ObjectNode signed = repo.root.toJson();
        signed.put("x-extension", "kept");
        SignedMetadata file = SignedMetadata.parse(SignedMetadata.sign(signed, List.of(repo.root1, repo.root2)), "r");
        file.verify(TufRole.ROOT, repo.root, "r");
        assertThat(RootMetadata.fromJson(file.signed(), "r")).isEqualTo(repo.root);
    }

    @Test
    void signingIsDeterministicForEd25519() throws Exception {
        assertThat(SignedMetadata.sign(repo.root.toJson(), List.of(repo.root1, repo.root2)))
                .isEqualTo(SignedMetadata.sign(repo.root.toJson(), List.of(repo.root1, repo.root2, repo.root1)));
    }

    @Test
    void malformedFilesAreRefused() {
        assertThatThrownBy(() -> SignedMetadata.parse("[]".getBytes(), "3.snapshot.json"))
                .isInstanceOf(TufException.class).hasMessageContaining("3.snapshot.json");
        String badKeyId = "{\"signed\":{},\"signatures\":[{\"keyid\":\"AB\",\"sig\":\"00\"}]}";
        assertThatThrownBy(() -> SignedMetadata.parse(badKeyId.getBytes(), "3.snapshot.json")).isInstanceOf(TufException.class).hasMessageContaining("keyid");
        assertThatThrownBy(() -> SignedMetadata.parse("{\"signed\":{},\"signed\":{},\"signatures\":[]}".getBytes(),
                "t.json")).isInstanceOf(TufException.class);
    }
}
