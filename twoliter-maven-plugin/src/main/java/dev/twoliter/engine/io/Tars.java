package dev.twoliter.engine.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Tar archives written reproducibly and read defensively. */
public final class Tars {
    private Tars() {}

    /**
     * Writes {@code entries} (archive path to host file) as a tar: entries sorted by path, parent
     * directories added, owner root, the given modification time, and modes 0755/0644 from the
     * host file's executable bit, so that equal inputs give equal bytes.
     */
    public static void write(Map<String, Path> entries, Instant mtime, OutputStream out) throws IOException {
        TreeMap<String, Path> sorted = new TreeMap<>(entries);
        Set<String> directories = new TreeSet<>();
        for (String name : sorted.keySet()) {
            checkRelative(name);
            for (int i = name.indexOf('/'); i > 0; i = name.indexOf('/', i + 1)) {
                directories.add(name.substring(0, i + 1));
            }
        }
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        Date time = Date.from(mtime);
        for (String dir : directories) {
            TarArchiveEntry entry = new TarArchiveEntry(dir);
            stamp(entry, time, 0755);
            tar.putArchiveEntry(entry);
            tar.closeArchiveEntry();
        }
        for (Map.Entry<String, Path> e : sorted.entrySet()) {
            Path file = e.getValue();
            TarArchiveEntry entry = new TarArchiveEntry(e.getKey());
            stamp(entry, time, isExecutable(file) ? 0755 : 0644);
            entry.setSize(Files.size(file));
            tar.putArchiveEntry(entry);
            Files.copy(file, tar);
            tar.closeArchiveEntry();
        }
        tar.finish();
    }

    private static void stamp(TarArchiveEntry entry, Date time, int mode) {
        entry.setModTime(time);
        entry.setUserId(0);
        entry.setGroupId(0);
        entry.setUserName("root");
        entry.setGroupName("root");
        entry.setMode((entry.isDirectory() ? TarArchiveEntry.DEFAULT_DIR_MODE & ~07777 : TarArchiveEntry.DEFAULT_FILE_MODE & ~07777) | mode);
    }

    private static boolean isExecutable(Path file) {
        try {
            return Files.getPosixFilePermissions(file).contains(PosixFilePermission.OWNER_EXECUTE);
        } catch (IOException | UnsupportedOperationException e) {
            return Files.isExecutable(file);
        }
    }

    /**
     * Extracts the regular files and directories below {@code prefix} in the archive into {@code
     * target}, refusing absolute paths, {@code ..} and links, which a container could use to
     * write outside the target directory. Returns the extracted files, relative to target.
     */
    public static List<Path> extract(InputStream in, String prefix, Path target) throws IOException {
        List<Path> files = new java.util.ArrayList<>();
        Path root = target.toAbsolutePath().normalize();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry entry; (entry = tar.getNextEntry()) != null; ) {
                String name = entry.getName();
                if (!name.startsWith(prefix)) {
                    continue;
                }
                String relative = name.substring(prefix.length());
                if (relative.isEmpty() || relative.equals("/")) {
                    continue;
                }
                checkRelative(relative);
                Path destination = root.resolve(relative).normalize();
                if (!destination.startsWith(root)) {
                    throw new IOException("Archive entry escapes the output directory: " + name);
                }
                if (entry.isSymbolicLink() || entry.isLink() || entry.isCharacterDevice() || entry.isBlockDevice()
                        || entry.isFIFO()) {
                    throw new IOException("Archive entry is neither a file nor a directory: " + name);
                } else if (entry.isDirectory()) {
                    Files.createDirectories(destination);
                } else if (entry.isFile()) {
                    Files.createDirectories(destination.getParent());
                    Files.copy(tar, destination, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                    if ((entry.getMode() & 0100) != 0) {
                        destination.toFile().setExecutable(true, false);
                    }
                    files.add(root.relativize(destination));
                } else {
                    throw new IOException("Archive entry is neither a file nor a directory: " + name);
                }
            }
        }
        return files;
    }

    static void checkRelative(String name) throws IOException {
        if (name.startsWith("/") || name.contains("\\") || name.equals("..") || name.startsWith("../")
                || name.contains("/../") || name.endsWith("/..")) {
            throw new IOException("Unsafe archive path: " + name);
        }
    }
}
