package dev.twoliter.engine.update;

import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.update.tuf.ExpirationPolicy;
import dev.twoliter.engine.update.tuf.TufKeyType;
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

/**
 * An update repository for the variant "os" (x86_64) in a directory, with keys from {@link
 * UpdateRepositoryKeys} (made at {@link #NOW}, no passphrase), and versions published through
 * {@link PublishUpdate}: each image's content is "{@code <image> image of <version>}".
 */
public final class UpdateRepositoryFixture {
    public static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    public static final UpdateRepositoryLayout LAYOUT = new UpdateRepositoryLayout("os", "x86_64");

    private final Path dir;
    private final Path keys;
    private final DirectoryStore store;
    private int works;

    public UpdateRepositoryFixture(Path dir) throws Exception {
        this.dir = dir;
        this.keys = dir.resolve("keys");
        UpdateRepositoryKeys.generate(keys, TufKeyType.ED25519, Optional.empty(), Duration.ofDays(365), NOW);
        this.store = new DirectoryStore(dir.resolve("server"));
    }

    public UpdateRepositoryStore store() {
        return store;
    }

    /** Where the repository's files are. */
    public Path server() {
        return store.root;
    }

    /** The paths uploaded so far, in order. */
    public List<String> uploads() {
        return store.uploads;
    }

    public Path keys() {
        return keys;
    }

    public Path trustedRoot() {
        return keys.resolve(UpdateRepositoryKeys.ROOT_FILE);
    }

    public byte[] trustedRootBytes() throws Exception {
        return Files.readAllBytes(trustedRoot());
    }

    public Path newWorkDir() throws Exception {
        return Files.createDirectories(dir.resolve("work-" + works++));
    }

    /** The signing keys generate-keys made for the targets, snapshot and timestamp roles. */
    public Map<TufRole, List<TufSigningKey>> roleKeys() throws Exception {
        Map<TufRole, List<TufSigningKey>> signers = new EnumMap<>(TufRole.class);
        for (TufRole role : List.of(TufRole.TARGETS, TufRole.SNAPSHOT, TufRole.TIMESTAMP)) {
            signers.put(role, List.of(key(UpdateRepositoryKeys.keyFile(keys, role))));
        }
        return signers;
    }

    public static TufSigningKey key(Path file) throws Exception {
        return TufSigningKey.load(file, Optional.empty(), "none");
    }

    /** What publishing {@code version} at {@code at} with {@code waves} asks for. */
    public PublishUpdateRequest request(String version, Instant at, WavePolicy waves) throws Exception {
        return request(version, at, waves, false);
    }

    /** As {@link #request(String, Instant, WavePolicy)}; {@code uki}: a UKI image's update (one UKI per bank). */
    public PublishUpdateRequest request(String version, Instant at, WavePolicy waves, boolean uki) throws Exception {
        Path images = Files.createDirectories(dir.resolve("images-" + version));
        UpdatePayloads.Payload root = payload(images, "root", "ext4.zst", version);
        UpdatePayloads.Payload hash = payload(images, "hash", "verity.zst", version);
        UpdatePayloads payloads = uki
                ? UpdatePayloads.uki(Map.of(dev.twoliter.engine.bank.Bank.A, payload(images, "uki-a", "efi", version),
                        dev.twoliter.engine.bank.Bank.B, payload(images, "uki-b", "efi", version)), root, hash)
                : UpdatePayloads.grub(payload(images, "boot", "ext4.zst", version), root, hash);
        UpdateVersion v = UpdateVersion.parse(version).orElseThrow();
        return new PublishUpdateRequest("os", "x86_64", v, v, payloads, trustedRoot(), roleKeys(),
                ExpirationPolicy.defaults(), waves, at, newWorkDir(), BuildLog.SILENT);
    }

    public PublishUpdateResult publish(String version, Instant at, WavePolicy waves) throws Exception {
        return PublishUpdate.run(request(version, at, waves), store);
    }

    public PublishUpdateResult publishUki(String version) throws Exception {
        return PublishUpdate.run(request(version, NOW, WavePolicy.immediate(), true), store);
    }

    public PublishUpdateResult publish(String version) throws Exception {
        return publish(version, NOW, WavePolicy.immediate());
    }

    private static UpdatePayloads.Payload payload(Path dir, String image, String type, String version)
            throws Exception {
        return new UpdatePayloads.Payload(Files.writeString(dir.resolve(image + "." + type), image + " image of "
                + version), type);
    }
}
