package dev.twoliter.engine.update;

import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.io.AtomicFiles;
import dev.twoliter.engine.update.tuf.RepositoryEditor;
import dev.twoliter.engine.update.tuf.RootMetadata;
import dev.twoliter.engine.update.tuf.SignedMetadata;
import dev.twoliter.engine.update.tuf.TufKeyGenerator;
import dev.twoliter.engine.update.tuf.TufKeyType;
import dev.twoliter.engine.update.tuf.TufRole;
import dev.twoliter.engine.update.tuf.TufSigningKey;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Creates an update repository's keys, one per role, and its first root metadata, signed by the
 * root key: the file every publisher and every machine trusts. The root key is needed again only
 * to rotate keys; keep it offline.
 */
public final class UpdateRepositoryKeys {
    public static final String ROOT_FILE = "update-root.json";
    public static final List<TufRole> ROLES = List.of(TufRole.ROOT, TufRole.TARGETS, TufRole.SNAPSHOT,
            TufRole.TIMESTAMP);

    /** @param keys each role's private key file; @param root the signed root metadata */
    public record Written(Map<TufRole, Path> keys, Path root, Map<TufRole, String> keyIds) {}

    private UpdateRepositoryKeys() {}

    public static Path keyFile(Path directory, TufRole role) {
        return directory.resolve("update-" + role.roleName() + ".pem");
    }

    /** Writes the four keys and the root into {@code directory}; refuses to overwrite any of them. */
    public static Written generate(Path directory, TufKeyType type, Optional<char[]> passphrase, Duration rootValidity,
            Instant now) throws TwoliterException, IOException {
        Path rootFile = directory.resolve(ROOT_FILE);
        for (TufRole role : ROLES) {
            if (Files.exists(keyFile(directory, role))) {
                throw new FileAlreadyExistsException(keyFile(directory, role).toString());
            }
        }
        if (Files.exists(rootFile)) {
            throw new FileAlreadyExistsException(rootFile.toString());
        }
        Files.createDirectories(directory);
        Map<TufRole, Path> files = new EnumMap<>(TufRole.class);
        Map<TufRole, List<dev.twoliter.engine.update.tuf.TufPublicKey>> publicKeys = new EnumMap<>(TufRole.class);
        Map<TufRole, Integer> thresholds = new EnumMap<>(TufRole.class);
        Map<TufRole, String> ids = new EnumMap<>(TufRole.class);
        TufSigningKey rootKey = null;
        for (TufRole role : ROLES) {
            Path file = keyFile(directory, role);
            TufKeyGenerator.generate(file, type, passphrase);
            TufSigningKey key = TufSigningKey.load(file, passphrase, "the passphrase it was created with");
            files.put(role, file);
            publicKeys.put(role, List.of(key.publicKey()));
            thresholds.put(role, 1);
            ids.put(role, key.keyId());
            if (role == TufRole.ROOT) {
                rootKey = key;
            }
        }
        RootMetadata root = RepositoryEditor.newRoot(publicKeys, thresholds,
                now.truncatedTo(ChronoUnit.SECONDS).plus(rootValidity));
        byte[] signed = SignedMetadata.sign(root.toJson(), List.of(rootKey));
        AtomicFiles.write(rootFile, signed);
        return new Written(files, rootFile, ids);
    }
}
