package dev.twoliter.engine.update.tuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sigstore.tuf.FileSystemTufStore;
import dev.sigstore.tuf.Fetcher;
import dev.sigstore.tuf.MetaFetcher;
import dev.sigstore.tuf.PassthroughCacheMetaStore;
import dev.sigstore.tuf.RootProvider;
import dev.sigstore.tuf.SignatureVerificationException;
import dev.sigstore.tuf.TrustedMetaStore;
import dev.sigstore.tuf.Updater;
import dev.sigstore.tuf.encryption.Verifiers;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * sigstore-java's TUF client (dev.sigstore.tuf.Updater, 2.0.0) as an independent reader of the
 * repositories {@link RepositoryEditor} writes. Two differences from the TUF specification in
 * sigstore-java, found by reading its bytecode, decide what this test can check:
 *
 * <ul>
 *   <li>It computes the signed bytes with its fork of an RFC 8785 canonicalizer
 *       ({@code SignedTufMeta.getCanonicalSignedBytes}, {@code dev.sigstore.json.canonicalizer}),
 *       not with OLPC canonical JSON as the specification, securesystemslib and tough do. The fork
 *       leaves newlines raw, so PEM keys (RSA) sign and verify alike, but it escapes the other
 *       control characters (tab, CR, ...) and orders keys by UTF-16 units. A string with a tab, e.g.
 *       in a target's custom data, therefore makes sigstore-java reject a correct signature; the
 *       last test shows it. Our canonical form is the specification's, checked against Python.
 *   <li>With consistent snapshots it fetches {@code <sha512>.<name>} when sha512 is listed (the
 *       specification allows any listed hash), so targets are stored under both names, as
 *       {@link TargetFile#fileNames} says an uploader must.
 *   <li>It refuses a target whose "custom" object lacks sigstore's own {@code "sigstore"} member.
 * </ul>
 */
class SigstoreInteropTest {
    @TempDir
    Path dir;

    @Test
    void sigstoreJavaUpdatesFromOurRepositoryAndDownloadsEveryTarget() throws Exception {
        TestRepo repo = new TestRepo(dir);
        TrustedRepository first = repo.publish(Optional.empty(), repo.target("os-v1.img", "version one"),
                TestRepo.NOW);
        TrustedRepository second = repo.publish(Optional.of(first), repo.target("os-v2.img", "version two"),
                TestRepo.NOW.plusSeconds(60));
        storeUnderEveryHash(repo, second);

        Path store = dir.resolve("sigstore");
        updater(repo, store).update();

        Path targets = store.resolve("targets");
        assertThat(Files.readString(targets.resolve("os-v1.img"))).isEqualTo("version one");
        assertThat(Files.readString(targets.resolve("os-v2.img"))).isEqualTo("version two");
        // a second run starts from the metadata sigstore-java stored the first time
        updater(repo, store).update();
    }

    @Test
    void sigstoreJavaVerifiesRsaPssAndFollowsARotationOfARootListingAnRsaKey() throws Exception {
        TestRepo repo = new TestRepo(dir);
        Path rsaFile = repo.keyDir.resolve("snapshot-rsa.pem");
        TufKeyGenerator.generate(rsaFile, TufKeyType.RSASSA_PSS_SHA256, Optional.empty());
        TufSigningKey rsa = TufSigningKey.load(rsaFile, Optional.empty(), "none");
        Map<TufRole, List<TufSigningKey>> keys = Map.of(TufRole.ROOT, List.of(repo.root1), TufRole.TARGETS,
                List.of(repo.targets), TufRole.SNAPSHOT, List.of(rsa), TufRole.TIMESTAMP, List.of(repo.timestamp));
        RootMetadata root = RepositoryEditor.newRoot(Map.of(TufRole.ROOT, List.of(repo.root1.publicKey()),
                TufRole.TARGETS, List.of(repo.targets.publicKey()), TufRole.SNAPSHOT, List.of(rsa.publicKey()),
                TufRole.TIMESTAMP, List.of(repo.timestamp.publicKey())), Map.of(TufRole.ROOT, 1, TufRole.TARGETS, 1,
                TufRole.SNAPSHOT, 1, TufRole.TIMESTAMP, 1), TestRepo.NOW.plus(Duration.ofDays(365)));
        repo.upload(RepositoryEditor.publish(Optional.empty(), root, repo.target("a.img", "A"), keys,
                ExpirationPolicy.defaults(), TestRepo.NOW));
        TrustedRepository first = repo.refresh(Optional.empty(), TestRepo.NOW);
        storeUnderEveryHash(repo, first);
        // the RSA-PSS signature over the snapshot is verified: same PSS parameters
        updater(repo, dir.resolve("sigstore-1")).update();
        assertThat(dir.resolve("sigstore-1/targets/a.img")).hasContent("A");

        RootMetadata v2 = new RootMetadata(2, root.expires().plus(Duration.ofDays(1)), true, root.keys(),
                root.roles());
        repo.upload(RepositoryEditor.rotateRoot(first, v2, List.of(repo.root1), List.of(repo.root1)));
        // our client, like tough and python-tuf, follows the rotation
        assertThat(repo.refresh(Optional.of(first), TestRepo.NOW).root()).isEqualTo(v2);
        updater(repo, dir.resolve("sigstore-2")).update();
        assertThat(dir.resolve("sigstore-2/targets/a.img")).hasContent("A");
    }

    @Test
    void sigstoreJavaRejectsCorrectSignaturesOverStringsWithTabs() throws Exception {
        TestRepo repo = new TestRepo(dir);
        var added = repo.target("a.img", "A");
        TargetFile plain = added.get("a.img");
        // sigstore-java refuses custom data without its own "sigstore" object, so one is given
        var custom = Fields.NODES.objectNode().put("note", "a\tb");
        custom.putObject("sigstore").put("status", "Active").put("usage", "Unknown");
        added.put("a.img", new TargetFile(plain.length(), plain.hashes(), Optional.of(custom)));
        TrustedRepository trusted = repo.publish(Optional.empty(), added, TestRepo.NOW);
        assertThat(trusted.targets().targets().get("a.img").custom()).contains(custom);
        storeUnderEveryHash(repo, trusted);
        assertThatThrownBy(() -> updater(repo, dir.resolve("sigstore")).update())
                .isInstanceOf(SignatureVerificationException.class);
    }

    private static void storeUnderEveryHash(TestRepo repo, TrustedRepository trusted) throws IOException {
        for (var target : trusted.targets().targets().entrySet()) {
            Path stored = repo.server.resolve(target.getValue().fileNames(target.getKey()).get(0));
            for (String name : target.getValue().fileNames(target.getKey())) {
                if (!Files.exists(repo.server.resolve(name))) {
                    Files.copy(stored, repo.server.resolve(name), StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
    }

    private static Updater updater(TestRepo repo, Path store) throws IOException {
        FileSystemTufStore files = FileSystemTufStore.newFileSystemStore(Files.createDirectories(store));
        Fetcher fetcher = new Fetcher() {
            @Override
            public String getSource() {
                return repo.server.toUri().toString();
            }

            @Override
            public byte[] fetchResource(String name, int maxLength) throws IOException {
                Path file = repo.server.resolve(name);
                if (!Files.isRegularFile(file)) {
                    return null;
                }
                if (Files.size(file) > maxLength) {
                    throw new IOException(name + " is larger than " + maxLength + " bytes");
                }
                return Files.readAllBytes(file);
            }
        };
        return Updater.builder()
                .setClock(Clock.fixed(TestRepo.NOW.plus(Duration.ofHours(1)), ZoneOffset.UTC))
                .setVerifiers(Verifiers::newVerifier)
                .setMetaFetcher(MetaFetcher.newFetcher(fetcher))
                .setTargetFetcher(fetcher)
                .setTrustedRootPath(RootProvider.fromFile(repo.server.resolve("1.root.json")))
                .setTrustedMetaStore(TrustedMetaStore.newTrustedMetaStore(
                        PassthroughCacheMetaStore.newPassthroughMetaCache(files)))
                .setTargetStore(files)
                .build();
    }
}
