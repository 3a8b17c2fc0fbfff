package dev.twoliter.engine.update.tuf;

import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;

/**
 * The client workflow of the TUF specification (section 5.3 to 5.6) for the top-level roles:
 * from a trusted root, follow root rotations, then verify timestamp, snapshot and targets, each
 * against the previous one for rollbacks and against the clock for freeze attacks.
 */
public final class TufClient {
    private TufClient() {}

    /** A verified file: its metadata and the bytes it was read from. */
    private record Verified<T>(T metadata, byte[] bytes) {}

    public static TrustedRepository refresh(RepositorySource source, byte[] trustedRootFileBytes,
            Optional<TrustedRepository> previous, Instant now, TufLimits limits) throws TufException {
        Verified<RootMetadata> root = updateRoot(source, trustedRoot(trustedRootFileBytes), limits);
        RootMetadata trusted = root.metadata();
        String rootFile = trusted.version() + ".root.json";
        expiry(rootFile, TufRole.ROOT, trusted.expires(), now);
        // 5.3.11: after a rotation of the timestamp or snapshot keys, the old files may have versions
        // the new keys' holder cannot exceed, so they no longer bound the new ones.
        Optional<TrustedRepository> before = previous.filter(p -> sameKeys(p.root(), trusted, TufRole.TIMESTAMP)
                && sameKeys(p.root(), trusted, TufRole.SNAPSHOT));
        TimestampMetadata timestamp = timestamp(source, trusted, before, now, limits);
        SnapshotMetadata snapshot = snapshot(source, trusted, timestamp, before, now, limits);
        TargetsMetadata targets = targets(source, trusted, snapshot, now, limits);
        return new TrustedRepository(trusted, root.bytes(), timestamp, snapshot, targets);
    }

    private static Verified<RootMetadata> trustedRoot(byte[] bytes) throws TufException {
        String name = "the trusted root metadata";
        SignedMetadata file = SignedMetadata.parse(bytes, name);
        RootMetadata root = RootMetadata.fromJson(file.signed(), name);
        file.verify(TufRole.ROOT, root, name + " (version " + root.version() + ")");
        return new Verified<>(root, bytes);
    }

    /** 5.3: each N+1.root.json must be signed by the threshold of root N's keys and of its own. */
    private static Verified<RootMetadata> updateRoot(RepositorySource source, Verified<RootMetadata> trusted,
            TufLimits limits) throws TufException {
        for (int rotation = 0; ; rotation++) {
            int next = trusted.metadata().version() + 1;
            String name = next + ".root.json";
            Optional<byte[]> bytes = Downloads.read(source, name, limits.maxRootBytes());
            if (bytes.isEmpty()) {
                return trusted;
            }
            if (rotation >= limits.maxRootRotations()) {
                throw new TufException("The repository offers more than " + limits.maxRootRotations()
                        + " root versions after the trusted one; stopped at " + name + ".");
            }
            SignedMetadata file = SignedMetadata.parse(bytes.get(), name);
            RootMetadata root = RootMetadata.fromJson(file.signed(), name);
            file.verify(TufRole.ROOT, trusted.metadata(), name + " (checked with the keys of the previous root)");
            file.verify(TufRole.ROOT, root, name + " (checked with its own keys)");
            if (root.version() != next) {
                throw new TufException(name + " holds root version " + root.version() + ", expected " + next
                        + ". The repository is damaged or replays an old root; do not use it.");
            }
            trusted = new Verified<>(root, bytes.get());
        }
    }

    private static TimestampMetadata timestamp(RepositorySource source, RootMetadata root,
            Optional<TrustedRepository> previous, Instant now, TufLimits limits) throws TufException {
        String name = "timestamp.json";
        byte[] bytes = Downloads.require(source, name, limits.maxTimestampBytes(), "every TUF repository has");
        SignedMetadata file = SignedMetadata.parse(bytes, name);
        TimestampMetadata timestamp = TimestampMetadata.fromJson(file.signed(), name);
        file.verify(TufRole.TIMESTAMP, root, name);
        if (previous.isPresent()) {
            TimestampMetadata old = previous.get().timestamp();
            rollback(name, "its version", timestamp.version(), old.version());
            rollback(name, "the snapshot version it lists", timestamp.snapshot().version(),
                    old.snapshot().version());
        }
        expiry(name, TufRole.TIMESTAMP, timestamp.expires(), now);
        return timestamp;
    }

    private static SnapshotMetadata snapshot(RepositorySource source, RootMetadata root, TimestampMetadata timestamp,
            Optional<TrustedRepository> previous, Instant now, TufLimits limits) throws TufException {
        MetaFile listed = timestamp.snapshot();
        String name = root.consistentSnapshot() ? listed.version() + ".snapshot.json" : "snapshot.json";
        byte[] bytes = Downloads.require(source, name, max(listed, limits.maxSnapshotBytes(), name),
                "timestamp.json version " + timestamp.version() + " lists");
        Downloads.check(bytes, listed, name, "timestamp.json version " + timestamp.version());
        SignedMetadata file = SignedMetadata.parse(bytes, name);
        SnapshotMetadata snapshot = SnapshotMetadata.fromJson(file.signed(), name);
        file.verify(TufRole.SNAPSHOT, root, name);
        if (snapshot.version() != listed.version()) {
            throw new TufException(name + " holds snapshot version " + snapshot.version() + ", but timestamp.json"
                    + " lists version " + listed.version() + ". The repository is inconsistent; do not use it.");
        }
        if (previous.isPresent()) {
            for (Map.Entry<String, MetaFile> old : previous.get().snapshot().meta().entrySet()) {
                MetaFile listedNow = snapshot.meta().get(old.getKey());
                if (listedNow == null) {
                    throw new TufException(name + " no longer lists " + old.getKey() + ", which the previously"
                            + " trusted snapshot version " + previous.get().snapshot().version() + " listed: a"
                            + " rollback attack or a broken repository.");
                }
                rollback(name, "the version of " + old.getKey() + " it lists", listedNow.version(),
                        old.getValue().version());
            }
        }
        expiry(name, TufRole.SNAPSHOT, snapshot.expires(), now);
        return snapshot;
    }

    private static TargetsMetadata targets(RepositorySource source, RootMetadata root, SnapshotMetadata snapshot,
            Instant now, TufLimits limits) throws TufException {
        MetaFile listed = snapshot.targets();
        String name = root.consistentSnapshot() ? listed.version() + ".targets.json" : "targets.json";
        String where = snapshot.version() + ".snapshot.json";
        byte[] bytes = Downloads.require(source, name, max(listed, limits.maxTargetsBytes(), name), where + " lists");
        Downloads.check(bytes, listed, name, where);
        SignedMetadata file = SignedMetadata.parse(bytes, name);
        TargetsMetadata targets = TargetsMetadata.fromJson(file.signed(), name);
        file.verify(TufRole.TARGETS, root, name);
        if (targets.version() != listed.version()) {
            throw new TufException(name + " holds targets version " + targets.version() + ", but " + where
                    + " lists version " + listed.version() + ". The repository is inconsistent; do not use it.");
        }
        expiry(name, TufRole.TARGETS, targets.expires(), now);
        return targets;
    }

    private static long max(MetaFile listed, long limit, String name) throws TufException {
        if (listed.length().orElse(0) > limit) {
            throw new TufException(name + " is listed with " + listed.length().getAsLong() + " bytes, more than the"
                    + " " + limit + " accepted; raise the limit if the repository really is that large.");
        }
        return listed.length().orElse(limit);
    }

    private static void rollback(String name, String what, int found, int trusted) throws TufException {
        if (found < trusted) {
            throw new TufException(name + ": " + what + " is " + found + ", lower than version " + trusted
                    + " trusted before. This is a rollback attack, or the repository was restored from an old copy;"
                    + " do not use it.");
        }
    }

    private static void expiry(String name, TufRole role, Instant expires, Instant now) throws TufException {
        if (!now.isBefore(expires)) {
            throw new TufException(name + " (" + role.roleName() + " metadata) expired at " + expires + " (now is "
                    + now + "). The repository is stale or frozen by an attacker; its owner must re-sign it.");
        }
    }

    private static boolean sameKeys(RootMetadata a, RootMetadata b, TufRole role) {
        return new HashSet<>(a.role(role).keyIds()).equals(new HashSet<>(b.role(role).keyIds()));
    }
}
