package dev.twoliter.engine.update;

import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.TwoliterException;
import dev.twoliter.engine.update.tuf.ExpirationPolicy;
import dev.twoliter.engine.update.tuf.RepositoryEditor;
import dev.twoliter.engine.update.tuf.RoleKeys;
import dev.twoliter.engine.update.tuf.RootMetadata;
import dev.twoliter.engine.update.tuf.TrustedRepository;
import dev.twoliter.engine.update.tuf.TufPublicKey;
import dev.twoliter.engine.update.tuf.TufRole;
import dev.twoliter.engine.update.tuf.TufSigningKey;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Work on an update repository between publications: re-signing its metadata before it expires,
 * and rotating keys through a new root. Both verify the repository from the trusted root first and
 * upload the timestamp last.
 *
 * @param keys the signing keys of the targets, snapshot and timestamp roles (after a rotation: the
 *     keys the new root names)
 */
public final class RepositoryMaintenance {
    public record Request(UpdateRepositoryLayout layout, Path trustedRoot, Map<TufRole, List<TufSigningKey>> keys,
            ExpirationPolicy expirations, Instant now, Path workDir, BuildLog log) {}

    private RepositoryMaintenance() {}

    /** New targets, snapshot and timestamp versions with fresh expiry times; the targets stay as they are. */
    public static List<String> resign(Request request, UpdateRepositoryStore store) throws TwoliterException {
        TrustedRepository current = existing(request, store);
        Map<String, byte[]> files = RepositoryEditor.publish(java.util.Optional.of(current), null, new TreeMap<>(),
                request.keys(), request.expirations(), request.now());
        return UpdateUpload.metadata(store, request.layout(), request.workDir(), files);
    }

    /**
     * Rotates keys: root version N+1 lists {@code newRootKeys} for the root role and, for each role
     * in {@code newRoleKeys}, those keys (threshold: all of them); the other roles keep their keys
     * and thresholds. It is signed by the old root's keys and the new ones; then targets, snapshot
     * and timestamp are re-signed under it (with the new keys where a role changed), so that clients
     * never see a timestamp signed by a key the new root dropped.
     */
    public static List<String> rotateRoot(Request request, List<TufSigningKey> oldRootKeys,
            List<TufSigningKey> newRootKeys, Map<TufRole, List<TufSigningKey>> newRoleKeys,
            UpdateRepositoryStore store) throws TwoliterException {
        TrustedRepository current = existing(request, store);
        Map<TufRole, List<TufSigningKey>> changed = new EnumMap<>(TufRole.class);
        newRoleKeys.forEach((role, keys) -> {
            if (role != TufRole.ROOT && !keys.isEmpty()) {
                changed.put(role, keys);
            }
        });
        changed.put(TufRole.ROOT, newRootKeys);
        RootMetadata next = nextRoot(current.root(), changed, request);
        Map<String, byte[]> files = new LinkedHashMap<>(RepositoryEditor.rotateRoot(current, next, oldRootKeys,
                newRootKeys));
        Map<TufRole, List<TufSigningKey>> signers = new EnumMap<>(request.keys());
        signers.putAll(changed);
        signers.remove(TufRole.ROOT);
        files.putAll(RepositoryEditor.publish(java.util.Optional.of(current), next, new TreeMap<>(), signers,
                request.expirations(), request.now()));
        request.log().info("Root version " + next.version() + " of " + request.layout().variant() + " ("
                + request.layout().arch() + "), valid until " + next.expires());
        return UpdateUpload.metadata(store, request.layout(), request.workDir(), files);
    }

    private static RootMetadata nextRoot(RootMetadata root, Map<TufRole, List<TufSigningKey>> changed,
            Request request) {
        Map<String, TufPublicKey> keys = new TreeMap<>();
        Map<TufRole, RoleKeys> roles = new EnumMap<>(TufRole.class);
        for (TufRole role : TufRole.values()) {
            if (changed.containsKey(role)) {
                Set<String> ids = new LinkedHashSet<>();
                for (TufSigningKey key : changed.get(role)) {
                    keys.put(key.keyId(), key.publicKey());
                    ids.add(key.keyId());
                }
                roles.put(role, new RoleKeys(new ArrayList<>(ids), ids.size()));
            } else {
                RoleKeys kept = root.role(role);
                kept.keyIds().forEach(id -> keys.put(id, root.keys().get(id)));
                roles.put(role, kept);
            }
        }
        return new RootMetadata(root.version() + 1, request.now().truncatedTo(ChronoUnit.SECONDS)
                .plus(request.expirations().root()), true, keys, roles);
    }

    private static TrustedRepository existing(Request request, UpdateRepositoryStore store) throws TwoliterException {
        CurrentRepository current = CurrentRepository.read(request.trustedRoot(), request.layout(), request.workDir(),
                request.now(), store);
        return current.trusted().orElseThrow(() -> new TwoliterException("The update repository at "
                + store.location() + " has nothing for " + request.layout().variant() + " (" + request.layout().arch()
                + ") yet; publish a version first (mvn deploy)."));
    }
}
