package dev.twoliter.engine.io;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Temporary files and directories in shared caches, named after the process that owns them, so
 * that the next build can sweep what a killed build left behind without touching what a running
 * build (on this or another machine) is still writing.
 *
 * <p>A name looks like {@code .<prefix>.<host>.<pid>.<start>.<random>.part} ({@link ProcessOwner}). A temporary
 * is stale when its owner ran on this host and is gone (or its pid was reused), or, for owners on
 * other hosts sharing the cache, when it has not been modified for {@link #FOREIGN_MAX_AGE}.
 */
public final class Temporaries {
    public static final String SUFFIX = ".part";
    /** A download or unpack that made no progress for a day is dead, whoever started it. */
    static final Duration FOREIGN_MAX_AGE = Duration.ofHours(24);
    private static final Pattern NAME = Pattern.compile(
            "\\.(?<prefix>[^.]*)\\.(?<host>[A-Za-z0-9-]+)\\.(?<pid>[0-9]+)\\.(?<start>[0-9]+)\\.[0-9a-f]{8}\\.part");

    private Temporaries() {}

    /** A fresh temporary file in {@code dir} (created, empty, mode 0644 where supported). */
    public static Path newFile(Path dir, String prefix) throws IOException {
        Files.createDirectories(dir);
        Path file = Files.createFile(dir.resolve(name(prefix)));
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: keep the defaults
        }
        return file;
    }

    /** A fresh temporary directory in {@code dir}. */
    public static Path newDirectory(Path dir, String prefix) throws IOException {
        Files.createDirectories(dir);
        return Files.createDirectory(dir.resolve(name(prefix)));
    }

    static String name(String prefix) {
        long pid = ProcessHandle.current().pid();
        String safePrefix = prefix.replaceAll("[^A-Za-z0-9_-]", "_");
        return "." + safePrefix + "." + ProcessOwner.host() + "." + pid + "." + ProcessOwner.startOf(pid).orElse(0L) + "."
                + UUID.randomUUID().toString().substring(0, 8) + SUFFIX;
    }

    /**
     * Deletes the stale temporaries directly in {@code dir} and returns their names. Safe to call
     * while other builds work in the same directory: a live owner's temporaries are left alone.
     */
    public static List<String> sweep(Path dir) {
        List<String> removed = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return removed;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, ".*" + SUFFIX)) {
            for (Path entry : entries) {
                if (isStale(entry)) {
                    try {
                        AtomicFiles.deleteTree(entry);
                        removed.add(entry.getFileName().toString());
                    } catch (IOException e) {
                        // Another sweeper got there first, or it is not ours to delete: leave it.
                    }
                }
            }
        } catch (IOException e) {
            // An unreadable cache directory is reported by whoever uses it next.
        }
        return removed;
    }

    static boolean isStale(Path entry) {
        Matcher m = NAME.matcher(entry.getFileName().toString());
        if (!m.matches()) {
            return false;
        }
        if (m.group("host").equals(ProcessOwner.host())) {
            return ProcessOwner.isGone(Long.parseLong(m.group("pid")), Long.parseLong(m.group("start")));
        }
        try {
            Instant modified = Files.getLastModifiedTime(entry).toInstant();
            return modified.isBefore(Instant.now().minus(FOREIGN_MAX_AGE));
        } catch (IOException e) {
            return false;
        }
    }
}
