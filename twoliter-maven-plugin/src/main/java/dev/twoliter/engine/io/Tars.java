package dev.twoliter.engine.io;

import dev.twoliter.engine.Syntax;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Tar archives written reproducibly and read defensively. */
public final class Tars {
    /**
     * commons-compress reads PAX records and GNU long names into memory; an archive could declare
     * gigabytes of them for one entry. Names in the archives we read are a few hundred bytes.
     */
    static final int MAX_EXTENSION_BYTES = 1 << 20;
    /** Header records (extension headers, old GNU sparse maps) that may precede one entry. */
    static final int MAX_HEADER_RECORDS_PER_ENTRY = 4096;

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
     * As {@link #write(Map, Instant, OutputStream)}, then an empty file {@code lastEntry} after every
     * other entry: whoever unpacks the archive in order has all of it once that file exists.
     */
    public static void write(Map<String, Path> entries, Instant mtime, String lastEntry, OutputStream out)
            throws IOException {
        TreeMap<String, Path> sorted = new TreeMap<>(entries);
        if (lastEntry != null) {
            checkRelative(lastEntry);
            if (sorted.containsKey(lastEntry)) {
                throw new IllegalArgumentException("The marker " + lastEntry + " is also an entry");
            }
        }
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
        List<Path> files = new ArrayList<>();
        Set<Path> seen = new HashSet<>();
        Path root = target.toAbsolutePath().normalize();
        long total = 0;
        String previous = null;
        try (TarArchiveInputStream tar = reader(in)) {
            for (TarArchiveEntry entry; (entry = nextEntry(tar, previous)) != null; ) {
                String name = entry.getName();
                previous = name;
                Optional<String> kind = unsupportedKind(entry);
                if (kind.isPresent()) {
                    throw new IOException("Archive entry " + Syntax.show(name) + " is " + kind.get()
                            + "; only regular files and directories are extracted.");
                }
                if (!name.startsWith(prefix)) {
                    continue;
                }
                String relative = name.substring(prefix.length());
                if (relative.endsWith("/")) {
                    relative = relative.substring(0, relative.length() - 1);
                }
                if (relative.isEmpty()) {
                    continue;
                }
                Optional<String> unsafe = unsafePath(relative);
                if (unsafe.isPresent()) {
                    throw new IOException("Unsafe archive path " + Syntax.show(name) + ": " + unsafe.get() + ".");
                }
                Path destination = root.resolve(relative).normalize();
                if (!destination.startsWith(root) || destination.equals(root)) {
                    throw new IOException("Archive entry " + Syntax.show(name) + " escapes the output directory "
                            + root + ".");
                }
                if (!seen.add(destination)) {
                    throw new IOException("Archive entry " + Syntax.show(name) + " appears twice (or names a path"
                            + " an earlier entry already extracted); refused.");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(destination);
                    continue;
                }
                long size = entry.getSize();
                if (size < 0 || size > maxTotalBytes - total) {
                    throw new IOException("Archive entry " + Syntax.show(name) + " declares " + size + " bytes, but only "
                            + (maxTotalBytes - total) + " bytes remain of the limit of " + maxTotalBytes
                            + " bytes for the whole archive; refused.");
                }
                Files.createDirectories(destination.getParent());
                Files.deleteIfExists(destination); // an earlier run's file, or a link someone put there
                try (OutputStream out = Files.newOutputStream(destination, StandardOpenOption.CREATE_NEW,
                        StandardOpenOption.WRITE)) {
                    copyExactly(tar, out, size, name);
                }
                total += size;
                if ((entry.getMode() & 0100) != 0) {
                    destination.toFile().setExecutable(true, false);
                }
                files.add(root.relativize(destination));
            }
        }
        return files;
    }

    /**
     * A tar reader that keeps commons-compress from reading unbounded extension headers into memory:
     * at most {@value #MAX_EXTENSION_BYTES} bytes of PAX records and GNU long names and {@value
     * #MAX_HEADER_RECORDS_PER_ENTRY} header records per entry. Exceeding either fails with an
     * IOException from {@code getNextEntry}.
     */
    public static TarArchiveInputStream reader(InputStream in) {
        return new GuardedTarInputStream(in);
    }

    /**
     * Why an entry is something other than a plain regular file or directory (a link, device, FIFO,
     * sparse file or an unusual tar type), or empty if it is plain.
     */
    public static Optional<String> unsupportedKind(TarArchiveEntry entry) {
        if (entry.isSymbolicLink()) {
            return Optional.of("a symbolic link to " + Syntax.show(entry.getLinkName()));
        }
        if (entry.isLink()) {
            return Optional.of("a hard link to " + Syntax.show(entry.getLinkName()));
        }
        if (entry.isCharacterDevice()) {
            return Optional.of("a character device");
        }
        if (entry.isBlockDevice()) {
            return Optional.of("a block device");
        }
        if (entry.isFIFO()) {
            return Optional.of("a FIFO");
        }
        // A sparse entry expands to its real size when read: a few stored bytes can become terabytes.
        if (entry.isSparse() || entry.isGNUSparse() || entry.isOldGNUSparse() || entry.isPaxGNUSparse()
                || entry.isStarSparse() || entry.getRealSize() != entry.getSize()) {
            return Optional.of("a sparse file (" + entry.getSize() + " bytes stored, " + entry.getRealSize()
                    + " bytes when expanded)");
        }
        byte type = entry.getLinkFlag();
        // isFile() is true for any unknown type whose name lacks a trailing slash, so accept by type.
        if (type != TarConstants.LF_NORMAL && type != TarConstants.LF_OLDNORM && type != TarConstants.LF_DIR) {
            return Optional.of("an entry of tar type " + typeName(type));
        }
        if (entry.isDirectory() && entry.getSize() != 0) {
            return Optional.of("a directory with " + entry.getSize() + " bytes of content");
        }
        return Optional.empty();
    }

    /**
     * Why a relative archive path is unsafe to create below a directory (absolute, {@code ..}, a
     * backslash, an empty segment, a control character), or empty if it is safe.
     */
    public static Optional<String> unsafePath(String name) {
        if (name.isEmpty()) {
            return Optional.of("the name is empty");
        }
        if (name.startsWith("/")) {
            return Optional.of("it is absolute");
        }
        if (name.indexOf('\\') >= 0) {
            return Optional.of("it contains a backslash");
        }
        if (name.chars().anyMatch(c -> c == 0 || Character.isISOControl(c))) {
            return Optional.of("it contains a control character");
        }
        for (String segment : name.split("/", -1)) {
            if (segment.equals("..")) {
                return Optional.of("it contains '..'");
            }
            if (segment.isEmpty()) {
                return Optional.of("it contains an empty path segment");
            }
        }
        return Optional.empty();
    }

    private static String typeName(byte type) {
        char c = (char) (type & 0xff);
        return c >= 0x21 && c < 0x7f ? "'" + c + "'" : String.format("0x%02x", type & 0xff);
    }

    private static TarArchiveEntry nextEntry(TarArchiveInputStream tar, String previous) throws IOException {
        try {
            return tar.getNextEntry();
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            throw new IOException("Archive is not a readable tar archive "
                    + (previous == null ? "at its first entry" : "after entry " + Syntax.show(previous)) + ": "
                    + e.getMessage(), e);
        }
    }

    /** Copies exactly the entry's declared size, failing if the archive ends before it. */
    private static void copyExactly(TarArchiveInputStream tar, OutputStream out, long size, String name)
            throws IOException {
        byte[] buffer = new byte[1 << 16];
        long copied = 0;
        while (copied < size) {
            int n;
            try {
                n = tar.read(buffer, 0, (int) Math.min(buffer.length, size - copied));
            } catch (IOException | IllegalArgumentException | IllegalStateException e) {
                throw new IOException("Archive entry " + Syntax.show(name) + " cannot be read: " + e.getMessage(), e);
            }
            if (n < 0) {
                throw new IOException("Archive entry " + Syntax.show(name) + " ends after " + copied + " of its "
                        + size + " bytes; the archive is truncated.");
            }
            out.write(buffer, 0, n);
            copied += n;
        }
    }

    static void checkRelative(String name) throws IOException {
        if (name.startsWith("/") || name.contains("\\") || name.equals("..") || name.startsWith("../")
                || name.contains("/../") || name.endsWith("/..")) {
            throw new IOException("Unsafe archive path: " + name);
        }
    }

    /**
     * Counts what commons-compress reads for the extension headers of one entry. {@code
     * getNextEntry} recurses through itself for each extension header, so the counts are reset
     * only by the outermost call.
     */
    private static final class GuardedTarInputStream extends TarArchiveInputStream {
        private int depth;
        private long extensionBytes;
        private int headerRecords;

        GuardedTarInputStream(InputStream in) {
            super(in);
        }

        @Override
        public TarArchiveEntry getNextEntry() throws IOException {
            if (depth++ == 0) {
                extensionBytes = 0;
                headerRecords = 0;
            }
            try {
                return super.getNextEntry();
            } finally {
                depth--;
            }
        }

        @Override
        protected byte[] readRecord() throws IOException {
            if (++headerRecords > MAX_HEADER_RECORDS_PER_ENTRY) {
                throw new IOException("more than " + MAX_HEADER_RECORDS_PER_ENTRY + " header records precede one"
                        + " entry (extension headers or sparse maps)");
            }
            return super.readRecord();
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            TarArchiveEntry current = getCurrentEntry();
            boolean extension = current != null && (current.isPaxHeader() || current.isGlobalPaxHeader()
                    || current.isGNULongNameEntry() || current.isGNULongLinkEntry());
            if (!extension || length == 0) {
                return super.read(buffer, offset, length);
            }
            long room = MAX_EXTENSION_BYTES - extensionBytes;
            int n = super.read(buffer, offset, (int) Math.min(length, Math.max(room, 1)));
            if (n > 0) {
                extensionBytes += n;
                if (extensionBytes > MAX_EXTENSION_BYTES) {
                    throw new IOException("the extension headers (PAX records, GNU long names) of one entry exceed "
                            + MAX_EXTENSION_BYTES + " bytes");
                }
            }
            return n;
        }
    }
}
