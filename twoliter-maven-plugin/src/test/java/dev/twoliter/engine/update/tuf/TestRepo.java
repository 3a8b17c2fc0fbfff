package dev.twoliter.engine.update.tuf;

import dev.twoliter.engine.io.Digests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/** A repository in a directory, with Ed25519 keys: three root keys (threshold 2), one for each other role. */
final class TestRepo {
    static final Instant NOW = Instant.parse("2026-12-01T00:00:00Z");

    final Path server;
    final Path keyDir;
    final TufSigningKey root1;
    final TufSigningKey root2;
    final TufSigningKey root3;
    final TufSigningKey targets;
    final TufSigningKey snapshot;
    final TufSigningKey timestamp;
    final RootMetadata root;

    TestRepo(Path dir) throws Exception {
        server = Files.createDirectories(dir.resolve("server"));
        keyDir = Files.createDirectories(dir.resolve("keys"));
        root1 = key("root1");
        root2 = key("root2");
        root3 = key("root3");
        targets = key("targets");
        snapshot = key("snapshot");
        timestamp = key("timestamp");
        root = RepositoryEditor.newRoot(Map.of(TufRole.ROOT, List.of(root1.publicKey(), root2.publicKey(),
                root3.publicKey()), TufRole.TARGETS, List.of(targets.publicKey()), TufRole.SNAPSHOT,
                List.of(snapshot.publicKey()), TufRole.TIMESTAMP, List.of(timestamp.publicKey())), Map.of(TufRole.ROOT,
                2, TufRole.TARGETS, 1, TufRole.SNAPSHOT, 1, TufRole.TIMESTAMP, 1), NOW.plus(Duration.ofDays(365)));
    }

    TufSigningKey key(String name) throws Exception {
        Path file = keyDir.resolve(name + ".pem");
        if (!Files.exists(file)) {
            TufKeyGenerator.generate(file, TufKeyType.ED25519, Optional.empty());
        }
        return TufSigningKey.load(file, Optional.empty(), "none");
    }

    Map<TufRole, List<TufSigningKey>> signers() {
        Map<TufRole, List<TufSigningKey>> keys = new EnumMap<>(TufRole.class);
        keys.put(TufRole.ROOT, List.of(root1, root2));
        keys.put(TufRole.TARGETS, List.of(targets));
        keys.put(TufRole.SNAPSHOT, List.of(snapshot));
        keys.put(TufRole.TIMESTAMP, List.of(timestamp));
        return keys;
    }

    RepositorySource source() {
        return (name, max) -> {
            Path file = server.resolve(name);
            return Files.isRegularFile(file) ? Optional.of(file) : Optional.empty();
        };
    }

    /** Writes a target's content as a consistent snapshot stores it, and returns its description. */
    SortedMap<String, TargetFile> target(String name, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        Path file = server.resolve(Digests.sha256(bytes) + "." + name);
        Files.write(file, bytes);
        return new TreeMap<>(Map.of(name, TargetFile.of(file)));
    }

    void upload(Map<String, byte[]> files) {
        files.forEach((name, bytes) -> {
            try {
                Files.write(server.resolve(name), bytes);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    byte[] rootFile() throws IOException {
        return Files.readAllBytes(server.resolve("1.root.json"));
    }

    TrustedRepository refresh(Optional<TrustedRepository> previous, Instant now) throws Exception {
        return TufClient.refresh(source(), rootFile(), previous, now, TufLimits.defaults());
    }

    /** Publishes and uploads, then returns what a client trusts afterwards. */
    TrustedRepository publish(Optional<TrustedRepository> current, SortedMap<String, TargetFile> added, Instant now)
            throws Exception {
        upload(RepositoryEditor.publish(current, root, added, signers(), ExpirationPolicy.defaults(), now));
        return refresh(current, now);
    }
}
