package dev.twoliter.engine.update.tuf;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Writes the metadata of a repository: a first root, the files of each publication, and root
 * rotations. It returns file names and bytes; where and how they are uploaded is the caller's job,
 * in the order given, so that a client never sees a timestamp before the files it lists.
 */
public final class RepositoryEditor {
    private RepositoryEditor() {}

    public static RootMetadata newRoot(Map<TufRole, List<TufPublicKey>> keys, Map<TufRole, Integer> thresholds,
            Instant expires) throws TufException {
        Map<String, TufPublicKey> all = new TreeMap<>();
        Map<TufRole, RoleKeys> roles = new EnumMap<>(TufRole.class);
        for (TufRole role : TufRole.values()) {
            List<TufPublicKey> roleKeys = keys.getOrDefault(role, List.of());
            Set<String> ids = new LinkedHashSet<>();
            for (TufPublicKey key : roleKeys) {
                key.parameters(role.roleName() + " key " + key.keyId());
                all.put(key.keyId(), key);
                ids.add(key.keyId());
            }
            Integer threshold = thresholds.get(role);
            if (ids.isEmpty() || threshold == null || threshold < 1 || threshold > ids.size()) {
                throw new TufException("The " + role.roleName() + " role has " + ids.size() + " distinct keys and"
                        + " threshold " + threshold + "; give it at least one key and a threshold from 1 to the"
                        + " number of its keys.");
            }
            roles.put(role, new RoleKeys(new ArrayList<>(ids), threshold));
        }
        return new RootMetadata(1, expires, true, all, roles);
    }

    /**
     * @param rootIfNew the root of a new repository; with {@code current}, a root newer than its root
     *     (already written by {@link #rotateRoot}) to sign under, or null
     */
    public static LinkedHashMap<String, byte[]> publish(Optional<TrustedRepository> current, RootMetadata rootIfNew,
            SortedMap<String, TargetFile> added, Map<TufRole, List<TufSigningKey>> keys, ExpirationPolicy policy,
            Instant now) throws TufException {
        return publish(current, rootIfNew, added, Set.of(), keys, policy, now);
    }

    /**
     * As above, where the targets named in {@code replaceable} may change content (an index such as
     * an update manifest, which each publication rewrites); every other published target is
     * immutable. Without root keys a new repository's root is not written: its owner signed it
     * offline and uploads that file.
     */
    public static LinkedHashMap<String, byte[]> publish(Optional<TrustedRepository> current, RootMetadata rootIfNew,
            SortedMap<String, TargetFile> added, Set<String> replaceable, Map<TufRole, List<TufSigningKey>> keys,
            ExpirationPolicy policy, Instant now) throws TufException {
        LinkedHashMap<String, byte[]> files = new LinkedHashMap<>();
        RootMetadata root;
        SortedMap<String, TargetFile> targets = new TreeMap<>();
        int targetsVersion = 1;
        int snapshotVersion = 1;
        int timestampVersion = 1;
        if (current.isPresent()) {
            // after rotateRoot the caller may not be able to refresh (the timestamp it has is signed by
            // keys the new root dropped), so a newer root given here is the one to sign under
            root = rootIfNew != null && rootIfNew.version() > current.get().root().version() ? rootIfNew
                    : current.get().root();
            targets.putAll(current.get().targets().targets());
            targetsVersion = current.get().targets().version() + 1;
            snapshotVersion = current.get().snapshot().version() + 1;
            timestampVersion = current.get().timestamp().version() + 1;
        } else {
            root = rootIfNew;
            if (root.version() != 1) {
                throw new TufException("A new repository starts with root version 1, but version " + root.version()
                        + " was given.");
            }
            if (!keys.getOrDefault(TufRole.ROOT, List.of()).isEmpty()) {
                files.put("1.root.json", SignedMetadata.sign(root.toJson(), signers(TufRole.ROOT, root, keys)));
            }
        }
        if (!now.isBefore(root.expires())) {
            throw new TufException("Root version " + root.version() + " expired at " + root.expires() + "; clients"
                    + " refuse everything signed under it. Rotate the root (a new version with a later expiry)"
                    + " before publishing.");
        }
        if (!root.consistentSnapshot()) {
            throw new TufException("Root version " + root.version() + " does not use consistent snapshots; this"
                    + " writer only writes consistent snapshots (N.targets.json, <sha256>.<target>).");
        }
        for (Map.Entry<String, TargetFile> e : added.entrySet()) {
            Fields.checkTargetName(e.getKey(), "The targets to publish");
            TargetFile old = targets.get(e.getKey());
            if (old != null && !old.sameContent(e.getValue()) && replaceable.contains(e.getKey())) {
                targets.put(e.getKey(), e.getValue());
            } else if (old != null && !old.sameContent(e.getValue())) {
                throw new TufException("Target \"" + e.getKey() + "\" is already published with other content ("
                        + old.length() + " bytes, " + old.hashes() + "; now " + e.getValue().length() + " bytes, "
                        + e.getValue().hashes() + "). Published targets never change; use a new name.");
            }
            if (old == null) {
                targets.put(e.getKey(), e.getValue());
            }
        }
        byte[] targetsFile = SignedMetadata.sign(new TargetsMetadata(targetsVersion, now.plus(policy.targets()),
                targets).toJson(), signers(TufRole.TARGETS, root, keys));
        byte[] snapshotFile = SignedMetadata.sign(new SnapshotMetadata(snapshotVersion, now.plus(policy.snapshot()),
                new TreeMap<>(Map.of(SnapshotMetadata.TARGETS, MetaFile.of(targetsVersion, targetsFile)))).toJson(),
                signers(TufRole.SNAPSHOT, root, keys));
        byte[] timestampFile = SignedMetadata.sign(new TimestampMetadata(timestampVersion, now.plus(policy.timestamp()),
                MetaFile.of(snapshotVersion, snapshotFile)).toJson(), signers(TufRole.TIMESTAMP, root, keys));
        files.put(targetsVersion + ".targets.json", targetsFile);
        files.put(snapshotVersion + ".snapshot.json", snapshotFile);
        files.put("timestamp.json", timestampFile);
        return files;
    }

    public static LinkedHashMap<String, byte[]> rotateRoot(TrustedRepository current, RootMetadata newRoot,
            List<TufSigningKey> oldRootKeys, List<TufSigningKey> newRootKeys) throws TufException {
        RootMetadata old = current.root();
        if (newRoot.version() != old.version() + 1) {
            throw new TufException("The new root must have version " + (old.version() + 1) + " (the current root is"
                    + " version " + old.version() + "), but has version " + newRoot.version() + ".");
        }
        List<TufSigningKey> signers = new ArrayList<>(signers(TufRole.ROOT, old, Map.of(TufRole.ROOT, oldRootKeys)));
        signers.addAll(signers(TufRole.ROOT, newRoot, Map.of(TufRole.ROOT, newRootKeys)));
        LinkedHashMap<String, byte[]> files = new LinkedHashMap<>();
        files.put(newRoot.version() + ".root.json", SignedMetadata.sign(newRoot.toJson(), signers));
        return files;
    }

    /** The given keys for a role, if all are authorised by the root and enough to meet its threshold. */
    private static List<TufSigningKey> signers(TufRole role, RootMetadata root, Map<TufRole, List<TufSigningKey>> keys)
            throws TufException {
        RoleKeys authorised = root.role(role);
        List<TufSigningKey> given = keys.getOrDefault(role, List.of());
        String expected = " Root version " + root.version() + " authorises " + String.join(", ", authorised.keyIds())
                + " for the " + role.roleName() + " role, with threshold " + authorised.threshold() + ".";
        for (TufSigningKey key : given) {
            if (!authorised.keyIds().contains(key.keyId())) {
                throw new TufException("Key " + key + " is not authorised for the " + role.roleName() + " role."
                        + expected);
            }
        }
        Set<String> distinct = given.stream().map(TufSigningKey::keyId).collect(Collectors.toSet());
        if (distinct.size() < authorised.threshold()) {
            throw new TufException("Only " + distinct.size() + " distinct " + role.roleName() + " keys were given ("
                    + (distinct.isEmpty() ? "none" : String.join(", ", distinct)) + ")." + expected);
        }
        return given;
    }
}
