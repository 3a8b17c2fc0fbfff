package dev.twoliter.engine.kit;

import dev.twoliter.engine.BuildLog;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The permissions of the kit cache's trees: read-only once unpacked (a deterrent; the index
 * catches edits), and writable again, without following links, when a tree is to be removed.
 */
final class CacheTrees {
    static final Set<PosixFilePermission> READ_ONLY_FILE = PosixFilePermissions.fromString("r--r--r--");
    static final Set<PosixFilePermission> READ_ONLY_DIRECTORY = PosixFilePermissions.fromString("r-xr-xr-x");
    private static final Set<PosixFilePermission> WRITABLE_DIRECTORY = PosixFilePermissions.fromString("rwxr-xr-x");

    private CacheTrees() {}

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
    static void makeReadOnly(Path tree, BuildLog log) {
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
    static void makeWritable(Path tree) throws IOException {
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
}
