package dev.twoliter.engine.kit;

import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.io.Digests;
import dev.twoliter.engine.io.Temporaries;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Unpacked kit payloads, shared by all builds of a user and keyed by the payload's digest: each
 * payload is verified against its manifest and unpacked once, into a directory that appears only
 * when complete.
 *
 * <p>Every use re-checks the unpacked copy against the index written when it was unpacked ({@link
 * Verification}); a copy that changed is moved aside and unpacked again from the (verified)
 * payload. Builds on the same machine may use the cache concurrently: directories appear and
 * disappear only by atomic renames, so nobody sees half of one.
 */
public final class KitCache {
    /** How thoroughly a cached copy is compared with its index on each use. */
    public enum Verification {
        /** The exact set of files, their sizes and modification times: a directory walk and a stat per file. */
        QUICK,
        /** As QUICK, and every file hashed again: catches same-size edits that kept the time. */
        FULL
    }

    static final Set<PosixFilePermission> READ_ONLY_FILE = PosixFilePermissions.fromString("r--r--r--");
    static final Set<PosixFilePermission> READ_ONLY_DIRECTORY = PosixFilePermissions.fromString("r-xr-xr-x");
    private static final Set<PosixFilePermission> WRITABLE_DIRECTORY = PosixFilePermissions.fromString("rwxr-xr-x");
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
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            if (Identity.of(target).isEmpty()) {
                if (unpack(manifest, arch, expected, payloadFile, target, log)) {
                    return target;
                }
                continue;
            }
            if (difference(target, expected).isEmpty()) {
                return target;
            }
            try (RepairLock repairing = RepairLock.acquire(root)) {
                // Checked again under the lock: another build may have repaired it while this one waited.
                Optional<Identity> checked = Identity.of(target);
                if (checked.isPresent()) {
                    Optional<String> difference = difference(target, expected);
                    if (difference.isEmpty()) {
                        return target;
                    }
                    log.warn(kit + ": cached copy in " + target + " was modified (" + difference.get()
                            + "); unpacking it again from the verified payload");
                    if (!retire(target, checked.get())) {
                        continue;
                    }
                }
                if (unpack(manifest, arch, expected, payloadFile, target, log)) {
                    return target;
                }
            }
        }
        throw new KitException(kit + ": the cached copy in " + target + " kept changing while this build checked it ("
                + MAX_ATTEMPTS + " attempts). Another process is modifying the kit cache " + root + ".");
    }

    /**
     * Why the cached copy differs from what was unpacked (its index, and the manifest's RPMs), or
     * empty if it does not.
     */
    private Optional<String> difference(Path target, KitManifest.Payload expected) {
        if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.of("it is " + (Files.isSymbolicLink(target) ? "a symbolic link" : "a file")
                    + ", not a directory");
        }
        CacheIndex index;
        try {
            index = CacheIndex.read(target);
        } catch (NoSuchFileException e) {
            return Optional.of("its index " + CacheIndex.FILE_NAME + " is missing");
        } catch (IOException e) {
            return Optional.of("its index " + CacheIndex.FILE_NAME + " is unreadable: " + e.getMessage());
        }
        if (!index.payloadSha256().equals(expected.sha256())) {
            return Optional.of("its index describes payload " + index.payloadSha256());
        }
        for (KitManifest.Rpm rpm : expected.rpms()) {
            CacheIndex.FileRecord file = index.files().get(rpm.path());
            if (file == null || file.size() != rpm.size() || !file.sha256().equals(rpm.sha256())) {
                return Optional.of("its index does not list " + Syntax.show(rpm.path()) + " as the manifest does");
            }
        }
        long rpmsInIndex = index.files().keySet().stream().filter(KitLayout::isRpm).count();
        if (rpmsInIndex != expected.rpms().size()) {
            return Optional.of("its index lists " + rpmsInIndex + " RPMs, the manifest " + expected.rpms().size());
        }
        try {
            return index.difference(target, verification == Verification.FULL);
        } catch (IOException e) {
            return Optional.of("it cannot be read: " + e);
        }
    }

    /**
     * Verifies the payload file and unpacks it as {@code target}. Returns false if the target
     * appeared meanwhile in a form this build did not make (the caller checks it again).
     */
    private boolean unpack(KitManifest manifest, String arch, KitManifest.Payload expected, Path payloadFile,
            Path target, BuildLog log) throws KitException, IOException {
        // One open file for checking and unpacking, so that the bytes unpacked are the bytes checked
        // even if someone replaces the file meanwhile.
        try (FileChannel channel = FileChannel.open(payloadFile, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size != expected.size()) {
                throw new KitPayloadException("kit " + manifest.coordinates() + ": the " + arch + " payload "
                        + payloadFile + " has " + size + " bytes, but the kit's manifest says " + expected.size()
                        + " bytes. The repository serves a payload that is not the one published with this manifest.");
            }
            String actual = sha256(channel);
            if (!actual.equals(expected.sha256())) {
                throw new KitPayloadException("kit " + manifest.coordinates() + ": the " + arch + " payload "
                        + payloadFile + " has sha256 " + actual + ", but the kit's manifest says " + expected.sha256()
                        + ". The repository serves a payload that is not the one published with this manifest.");
            }
            channel.position(0);
            Files.createDirectories(root);
            sweep(log);
            Path temp = Temporaries.newDirectory(root, "unpack");
            try {
                InputStream in = Channels.newInputStream(channel);
                CacheIndex index = new PayloadUnpacker(manifest, arch, payloadFile).unpack(in, expected.sha256(), temp);
                index.write(temp);
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    if (Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
                        // Another build unpacked the same payload first; its copy is as good as ours.
                        return true;
                    }
                    if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                        return false;
                    }
                    throw e;
                }
                makeReadOnly(target, log);
                return true;
            } finally {
                deleteTree(temp);
            }
        }
    }

    /** Removes the leftovers of killed builds (only theirs: running builds' temporaries stay). */
    private void sweep(BuildLog log) {
        List<String> removed = Temporaries.sweep(root);
        if (!removed.isEmpty()) {
            log.info("kit cache " + root + ": removed " + removed.size() + " leftover(s) of interrupted builds: "
                    + String.join(", ", removed));
        }
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
        makeWritable(target);
        // An owner-tagged empty directory, which the rename replaces: a name the sweep understands.
        Path retired = Temporaries.newDirectory(root, "retired");
        try {
            Files.move(target, retired, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            deleteTree(retired);
            return true;
        } catch (IOException e) {
            deleteTree(retired);
            throw e;
        }
        deleteTree(retired);
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

    private static String sha256(FileChannel channel) throws IOException {
        MessageDigest digest = Digests.newDigest("SHA-256");
        ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
        while (channel.read(buffer) >= 0) {
            buffer.flip();
            digest.update(buffer);
            buffer.clear();
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    static void setPermissions(Path path, Set<PosixFilePermission> permissions) throws IOException {
        try {
            Files.setPosixFilePermissions(path, permissions);
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the index still catches edits
        }
    }

    /**
     * Read-only directories discourage edits to the cache; files were made read-only when written.
     * Only a deterrent (the index catches edits), so it never fails a build.
     */
    private static void makeReadOnly(Path tree, BuildLog log) {
        try {
            Files.walkFileTree(tree, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    setPermissions(dir, READ_ONLY_DIRECTORY);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            log.debug("kit cache: could not make " + tree + " read-only: " + e);
        }
    }

    /**
     * Makes every directory of the tree writable (links are not followed), so its entries can be
     * deleted. Parts that vanish meanwhile (another build retiring the same copy) are skipped.
     */
    private static void makeWritable(Path tree) throws IOException {
        walkWritable(tree, false);
    }

    /** Deletes a tree that may contain read-only directories (links are deleted, not followed). */
    static void deleteTree(Path tree) throws IOException {
        if (Files.exists(tree, LinkOption.NOFOLLOW_LINKS)) {
            walkWritable(tree, true);
        }
    }

    /**
     * Makes every directory of the tree writable on the way down and, with {@code delete}, removes
     * files and directories on the way up. Entries that vanish meanwhile (a concurrent repair) are
     * skipped.
     */
    private static void walkWritable(Path tree, boolean delete) throws IOException {
        Files.walkFileTree(tree, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attributes) throws IOException {
                try {
                    setPermissions(dir, WRITABLE_DIRECTORY);
                } catch (NoSuchFileException e) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
                if (delete) {
                    Files.deleteIfExists(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                if (e instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw e;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null && !(e instanceof NoSuchFileException)) {
                    throw e;
                }
                if (delete) {
                    Files.deleteIfExists(dir);
                }
                return FileVisitResult.CONTINUE;
            }
        });
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
