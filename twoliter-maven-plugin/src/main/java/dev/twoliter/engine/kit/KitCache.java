package dev.twoliter.engine.kit;

import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.io.Temporaries;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Objects;
import java.util.Optional;

/**
 * Unpacked kit payloads, shared by all builds of a user and keyed by the payload's digest: each
 * payload is verified against its manifest and unpacked once ({@link PayloadInstaller}), into a
 * directory that appears only when complete.
 *
 * <p>Every use re-checks the unpacked copy against the index written when it was unpacked ({@link
 * Verification}, {@link CachedCopyCheck}); a copy that changed is moved aside and unpacked again
 * from the (verified) payload. Builds on the same machine may use the cache concurrently:
 * directories appear and disappear only by atomic renames, so nobody sees half of one.
 */
public final class KitCache {
    /** How thoroughly a cached copy is compared with its index on each use. */
    public enum Verification {
        /** The exact set of files, their sizes and modification times: a directory walk and a stat per file. */
        QUICK,
        /** As QUICK, and every file hashed again: catches same-size edits that kept the time. */
        FULL
    }

    /** Rounds of verify, retire and unpack before concurrent changes to the same entry count as a failure. */
    private static final int MAX_ATTEMPTS = 3;

    private final Path root;
    private final Verification verification;

    public KitCache(Path root) {
        this(root, Verification.QUICK);
    }

    public KitCache(Path root, Verification verification) {
        this.root = root.toAbsolutePath().normalize();
        this.verification = Objects.requireNonNull(verification, "verification");
    }

    /** True if a copy of the payload with this digest is unpacked (whether it is intact is checked on use). */
    public boolean hasUnpacked(String payloadSha256) throws KitException {
        return Files.isDirectory(directory(payloadSha256, "a kit payload"), LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Returns the unpacked repository of {@code manifest}'s payload for {@code arch}. An existing
     * copy is used if it matches its index; otherwise {@code payloadFile} is checked against the
     * manifest (size, then sha256) and unpacked. A payload that does not match is never unpacked,
     * and a refused unpack leaves nothing in the cache.
     *
     * @throws KitPayloadException if the payload file is not what the manifest describes
     */
    public Path repository(KitManifest manifest, String arch, Path payloadFile, BuildLog log)
            throws KitException, IOException {
        KitManifest.Payload expected = manifest.payload(arch);
        String kit = "kit " + manifest.coordinates();
        Path target = directory(expected.sha256(), kit + " (" + arch + " payload)");
        PayloadInstaller installer = new PayloadInstaller(root, log);
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            if (Identity.of(target).isEmpty()) {
                if (installer.install(manifest, arch, expected, payloadFile, target)) {
                    return target;
                }
                continue;
            }
            if (CachedCopyCheck.difference(target, expected, verification).isEmpty()) {
                return target;
            }
            try (RepairLock repairing = RepairLock.acquire(root)) {
                // Checked again under the lock: another build may have repaired it while this one waited.
                Optional<Identity> checked = Identity.of(target);
                if (checked.isPresent()) {
                    Optional<String> difference = CachedCopyCheck.difference(target, expected, verification);
                    if (difference.isEmpty()) {
                        return target;
                    }
                    log.warn(kit + ": cached copy in " + target + " was modified (" + difference.get()
                            + "); unpacking it again from the verified payload");
                    if (!retire(target, checked.get())) {
                        continue;
                    }
                }
                if (installer.install(manifest, arch, expected, payloadFile, target)) {
                    return target;
                }
            }
        }
        throw new KitException(kit + ": the cached copy in " + target + " kept changing while this build checked it ("
                + MAX_ATTEMPTS + " attempts). Another process is modifying the kit cache " + root + ".");
    }

    /**
     * Moves a modified copy out of the way (a rename, so readers see it whole or not at all), then
     * deletes it. Returns false, leaving it, if {@code target} no longer names the entry that was
     * checked (someone outside the plugin replaced it).
     */
    private boolean retire(Path target, Identity checked) throws IOException {
        Optional<Identity> current = Identity.of(target);
        if (current.isEmpty()) {
            return true;
        }
        if (!current.get().equals(checked)) {
            return false;
        }
        if (!checked.directory()) {
            Files.deleteIfExists(target); // a file or link: deleting it is atomic already
            return true;
        }
        // Writable before the rename: if this build dies after it, the sweep must be able to delete it.
        CacheTrees.makeWritable(target);
        // An owner-tagged empty directory, which the rename replaces: a name the sweep understands.
        Path retired = Temporaries.newDirectory(root, "retired");
        try {
            Files.move(target, retired, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            CacheTrees.deleteTree(retired);
            return true;
        } catch (IOException e) {
            CacheTrees.deleteTree(retired);
            throw e;
        }
        CacheTrees.deleteTree(retired);
        return true;
    }

    /** The cache directory for a payload digest; refuses anything but a sha256, so no path comes from other data. */
    private Path directory(String payloadSha256, String owner) throws KitException {
        if (!Syntax.isSha256(payloadSha256)) {
            throw new KitException(owner + ": " + Syntax.show(payloadSha256) + " is not a sha256 digest (64 lowercase"
                    + " hex digits); the kit cache makes no path from it.");
        }
        return under(root, payloadSha256);
    }

    /** {@code base/relative}, refused unless it stays strictly below {@code base}. */
    static Path under(Path base, String relative) throws KitException {
        Path normalBase = base.toAbsolutePath().normalize();
        Path path = normalBase.resolve(relative).normalize();
        if (!path.startsWith(normalBase) || path.equals(normalBase)) {
            throw new KitException("the path " + Syntax.show(relative) + " leads outside " + normalBase + "; refused.");
        }
        return path;
    }

    /**
     * Which directory entry a path names (inode and modification time): tells the copy this build
     * checked from one another build put in its place since.
     */
    private record Identity(Object fileKey, FileTime modified, boolean directory) {
        static Optional<Identity> of(Path path) throws IOException {
            try {
                BasicFileAttributes a = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
                return Optional.of(new Identity(a.fileKey(), a.lastModifiedTime(), a.isDirectory()));
            } catch (NoSuchFileException e) {
                return Optional.empty();
            }
        }
    }
}
