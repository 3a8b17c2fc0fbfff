package dev.twoliter.engine.kit;

import dev.twoliter.engine.Syntax;
import dev.twoliter.engine.io.Digests;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * What an unpacked payload in the kit cache held right after it was unpacked: its directories and,
 * per file, size, modification time and sha256. Kept as {@value #FILE_NAME} inside the unpacked
 * directory, so that every later build can tell cheaply (sizes and times) or thoroughly (digests)
 * whether someone changed the copy since.
 *
 * <p>Format, one record a line, paths relative with {@code /}:
 *
 * <pre>
 * # twoliter kit cache contents, format 1
 * payload &lt;payload sha256&gt;
 * dir &lt;path&gt;
 * file &lt;size&gt; &lt;mtime in ns since the epoch&gt; &lt;sha256&gt; &lt;path&gt;
 * </pre>
 */
record CacheIndex(String payloadSha256, SortedSet<String> directories, SortedMap<String, FileRecord> files) {
    static final String FILE_NAME = ".twoliter-contents";
    private static final String HEADER = "# twoliter kit cache contents, format 1";
    /** Generous for 100000 RPMs; an index beyond it was not written by this class. */
    static final long MAX_BYTES = 256L << 20;

    /** A file as it was right after unpacking. */
    record FileRecord(long size, long modifiedNanos, String sha256) {}

    CacheIndex {
        directories = Collections.unmodifiableSortedSet(new TreeSet<>(directories));
        files = Collections.unmodifiableSortedMap(new TreeMap<>(files));
    }

    /** Writes the index into {@code dir} (which must not have one yet), read-only. */
    void write(Path dir) throws IOException {
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        text.append("payload ").append(payloadSha256).append('\n');
        directories.forEach(d -> text.append("dir ").append(d).append('\n'));
        files.forEach((path, f) -> text.append("file ").append(f.size()).append(' ').append(f.modifiedNanos())
                .append(' ').append(f.sha256()).append(' ').append(path).append('\n'));
        Path file = dir.resolve(FILE_NAME);
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        CacheTrees.setPermissions(file, CacheTrees.READ_ONLY_FILE);
    }

    /** Sizes and times as the file system reports them for a freshly written file. */
    static FileRecord record(Path file, String sha256) throws IOException {
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        return new FileRecord(attributes.size(), attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS), sha256);
    }

    /**
     * Reads the index of an unpacked payload, checking every line as strictly as it was written.
     *
     * @throws NoSuchFileException if there is no index
     * @throws IOException naming the line if the index is unreadable or malformed
     */
    static CacheIndex read(Path dir) throws IOException {
        Path file = dir.resolve(FILE_NAME);
        BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        if (!attributes.isRegularFile()) {
            throw new IOException("it is not a regular file");
        }
        if (attributes.size() > MAX_BYTES) {
            throw new IOException("it has " + attributes.size() + " bytes, more than an index can have");
        }
        String payload = null;
        SortedSet<String> directories = new TreeSet<>();
        SortedMap<String, FileRecord> files = new TreeMap<>();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line = in.readLine();
            if (!HEADER.equals(line)) {
                throw new IOException("line 1 is " + Syntax.show(line) + ", not the index header");
            }
            int number = 1;
            while ((line = in.readLine()) != null) {
                number++;
                String[] fields = line.split(" ", -1);
                String where = "line " + number + " (" + Syntax.show(line) + ")";
                if (number == 2) {
                    if (fields.length != 2 || !fields[0].equals("payload") || !Syntax.isSha256(fields[1])) {
                        throw new IOException(where + " does not name the payload digest");
                    }
                    payload = fields[1];
                } else if (fields.length == 2 && fields[0].equals("dir") && KitLayout.isDirectory(fields[1])) {
                    if (!directories.add(fields[1])) {
                        throw new IOException(where + " repeats a directory");
                    }
                } else if (fields.length == 5 && fields[0].equals("file") && fields[1].matches("[0-9]{1,19}")
                        && fields[2].matches("-?[0-9]{1,19}") && Syntax.isSha256(fields[3])
                        && KitLayout.isFile(fields[4])) {
                    FileRecord record;
                    try {
                        record = new FileRecord(Long.parseLong(fields[1]), Long.parseLong(fields[2]), fields[3]);
                    } catch (NumberFormatException e) {
                        throw new IOException(where + " has a number out of range");
                    }
                    if (files.put(fields[4], record) != null) {
                        throw new IOException(where + " repeats a file");
                    }
                } else {
                    throw new IOException(where + " is not a record of the index");
                }
            }
        }
        if (payload == null) {
            throw new IOException("it does not name the payload digest");
        }
        return new CacheIndex(payload, directories, files);
    }

    /**
     * The first difference (in path order) between {@code dir} and this index, or empty if there
     * is none: the exact set of directories and files (nothing but the index itself is ignored;
     * links and special files are differences), each file's size and modification time, and with
     * {@code rehash} each file's sha256.
     */
    Optional<String> difference(Path dir, boolean rehash) throws IOException {
        Map<String, BasicFileAttributes> found = new HashMap<>();
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attributes) {
                if (!d.equals(dir)) {
                    found.put(relative(dir, d), attributes);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                found.put(relative(dir, file), attributes);
                return FileVisitResult.CONTINUE;
            }
        });
        found.remove(FILE_NAME);
        SortedSet<String> paths = new TreeSet<>(found.keySet());
        paths.addAll(directories);
        paths.addAll(files.keySet());
        for (String path : paths) {
            BasicFileAttributes actual = found.get(path);
            FileRecord recorded = files.get(path);
            if (actual == null) {
                return Optional.of(Syntax.show(path) + " is missing");
            }
            if (!actual.isDirectory() && !actual.isRegularFile()) {
                return Optional.of(Syntax.show(path) + " is " + (actual.isSymbolicLink() ? "a symbolic link" : "a special"
                        + " file") + ", which a kit never contains");
            }
            if (directories.contains(path)) {
                if (!actual.isDirectory()) {
                    return Optional.of(Syntax.show(path) + " is a file, but was unpacked as a directory");
                }
            } else if (recorded == null) {
                return Optional.of(Syntax.show(path) + " was added");
            } else if (actual.isDirectory()) {
                return Optional.of(Syntax.show(path) + " is a directory, but was unpacked as a file");
            } else if (actual.size() != recorded.size()) {
                return Optional.of(Syntax.show(path) + ": size " + actual.size() + " != " + recorded.size()
                        + " when unpacked");
            } else if (actual.lastModifiedTime().to(TimeUnit.NANOSECONDS) != recorded.modifiedNanos()) {
                return Optional.of(Syntax.show(path) + ": modified at " + actual.lastModifiedTime() + " != "
                        + FileTime.from(recorded.modifiedNanos(), TimeUnit.NANOSECONDS) + " when unpacked");
            }
        }
        if (rehash) {
            Path base = dir.toAbsolutePath().normalize();
            for (Map.Entry<String, FileRecord> file : files.entrySet()) {
                Path path = base.resolve(file.getKey()).normalize();
                if (!path.startsWith(base) || path.equals(base)) {
                    return Optional.of(Syntax.show(file.getKey()) + " leads outside the copy");
                }
                String actual = Digests.sha256(path);
                if (!actual.equals(file.getValue().sha256())) {
                    return Optional.of(Syntax.show(file.getKey()) + ": sha256 " + actual + " != "
                            + file.getValue().sha256() + " when unpacked");
                }
            }
        }
        return Optional.empty();
    }

    private static String relative(Path dir, Path path) {
        return dir.relativize(path).toString().replace(path.getFileSystem().getSeparator(), "/");
    }
}
