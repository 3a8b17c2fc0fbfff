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
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Tar archives written reproducibly and read defensively. Writing is here; extracting is {@link
 * TarExtraction}, what an entry may be {@link TarEntryChecks}, and the bounded reader {@link
 * GuardedTarInputStream}.
 */
public final class Tars {
    private Tars() {}

    /**
     * Writes {@code entries} (archive path to host file) as a tar: entries sorted by path, parent
     * directories added, owner root, the given modification time, and modes 0755/0644 from the
     * host file's executable bit, so that equal inputs give equal bytes.
     */
    public static void write(Map<String, Path> entries, Instant mtime, OutputStream out) throws IOException {
        write(entries, mtime, null, out);
    }

    /**
     * {@link #write(Map, Instant, OutputStream)} into {@code target} through a temporary sibling
     * that is renamed into place: a build killed while writing leaves no half-written archive.
     */
    public static void writeInPlace(Map<String, Path> entries, Instant mtime, Path target) throws IOException {
        Path temp = AtomicFiles.tempSibling(target);
        try {
            try (OutputStream out = Files.newOutputStream(temp)) {
                write(entries, mtime, out);
            }
            AtomicFiles.moveIntoPlace(temp, target);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /**
     * As {@link #write(Map, Instant, OutputStream)}, then an empty file {@code lastEntry} after every
     * other entry: whoever unpacks the archive in order has all of it once that file exists.
     */
    public static void write(Map<String, Path> entries, Instant mtime, String lastEntry, OutputStream out)
            throws IOException {
        TreeMap<String, Path> sorted = new TreeMap<>(entries);
        if (lastEntry != null) {
            TarEntryChecks.checkRelative(lastEntry);
            if (sorted.containsKey(lastEntry)) {
                throw new IllegalArgumentException("The marker " + lastEntry + " is also an entry");
            }
        }
        Set<String> directories = new TreeSet<>();
        for (String name : sorted.keySet()) {
            TarEntryChecks.checkRelative(name);
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
        if (lastEntry != null) {
            TarArchiveEntry marker = new TarArchiveEntry(lastEntry);
            stamp(marker, time, 0644);
            marker.setSize(0);
            tar.putArchiveEntry(marker);
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

    /** Whether an input goes into a container as executable (0755) rather than 0644. */
    public static boolean isExecutable(Path file) {
        try {
            return Files.getPosixFilePermissions(file).contains(PosixFilePermission.OWNER_EXECUTE);
        } catch (IOException | UnsupportedOperationException e) {
            return Files.isExecutable(file);
        }
    }

    /** {@link #extract(InputStream, String, Path, long)} without a bound on the total size. */
    public static List<Path> extract(InputStream in, String prefix, Path target) throws IOException {
        return extract(in, prefix, target, Long.MAX_VALUE);
    }

    /**
     * Extracts the regular files and directories below {@code prefix} in the archive into {@code
     * target} and returns the extracted files, relative to target. Refuses (with an IOException
     * naming the entry) anything a hostile archive could use against the host: links, devices,
     * FIFOs, sparse files, absolute paths, {@code ..}, the same path twice, and more than {@code
     * maxTotalBytes} of file content, checked against each entry's declared size before any of its
     * bytes are written. On failure, files extracted so far stay in {@code target}.
     */
    public static List<Path> extract(InputStream in, String prefix, Path target, long maxTotalBytes)
            throws IOException {
        return TarExtraction.extract(in, prefix, target, maxTotalBytes, name -> true);
    }

    /**
     * As {@link #extract(InputStream, String, Path, long)}, writing only the regular files whose path
     * (relative to {@code prefix}) {@code wanted} accepts; the others are checked and skipped.
     */
    public static List<Path> extract(InputStream in, String prefix, Path target, long maxTotalBytes,
            java.util.function.Predicate<String> wanted) throws IOException {
        return TarExtraction.extract(in, prefix, target, maxTotalBytes, wanted);
    }

    /**
     * A tar reader that keeps commons-compress from reading unbounded extension headers into memory:
     * at most {@value GuardedTarInputStream#MAX_EXTENSION_BYTES} bytes of PAX records and GNU long
     * names and {@value GuardedTarInputStream#MAX_HEADER_RECORDS_PER_ENTRY} header records per entry.
     * Exceeding either fails with an IOException from {@code getNextEntry}.
     */
    public static TarArchiveInputStream reader(InputStream in) {
        return new GuardedTarInputStream(in);
    }

    /**
     * Why an entry is something other than a plain regular file or directory (a link, device, FIFO,
     * sparse file or an unusual tar type), or empty if it is plain.
     */
    public static Optional<String> unsupportedKind(TarArchiveEntry entry) {
        return TarEntryChecks.unsupportedKind(entry);
    }

    /**
     * Why a relative archive path is unsafe to create below a directory (absolute, {@code ..}, a
     * backslash, an empty segment, a control character), or empty if it is safe.
     */
    public static Optional<String> unsafePath(String name) {
        return TarEntryChecks.unsafePath(name);
    }
}
