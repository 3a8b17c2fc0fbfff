package dev.twoliter.engine.io;

import dev.twoliter.engine.Syntax;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** Extracting an archive that may be hostile: behind {@link Tars#extract(InputStream, String, Path, long)}. */
final class TarExtraction {
    private TarExtraction() {}

    /** See {@link Tars#extract(InputStream, String, Path, long)}. */
    static List<Path> extract(InputStream in, String prefix, Path target, long maxTotalBytes,
            java.util.function.Predicate<String> wanted) throws IOException {
        List<Path> files = new ArrayList<>();
        Set<Path> seen = new HashSet<>();
        Path root = target.toAbsolutePath().normalize();
        long total = 0;
        String previous = null;
        try (TarArchiveInputStream tar = Tars.reader(in)) {
            for (TarArchiveEntry entry; (entry = nextEntry(tar, previous)) != null; ) {
                String name = entry.getName();
                previous = name;
                Optional<String> kind = TarEntryChecks.unsupportedKind(entry);
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
                Optional<String> unsafe = TarEntryChecks.unsafePath(relative);
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
                if (!wanted.test(relative)) {
                    continue; // checked like the rest, so an unwanted entry cannot hide a hostile archive
                }
                long size = entry.getSize();
                if (size < 0 || size > maxTotalBytes - total) {
                    throw new IOException("Archive entry " + Syntax.show(name) + " declares " + size + " bytes, but only "
                            + (maxTotalBytes - total) + " bytes remain of the limit of " + maxTotalBytes
                            + " bytes for the whole archive; refused.");
                }
                Files.createDirectories(destination.getParent());
                Files.deleteIfExists(destination); // an earlier run's file, or a link someone put there
                try (java.nio.channels.FileChannel out = java.nio.channels.FileChannel.open(destination,
                        StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
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

    private static TarArchiveEntry nextEntry(TarArchiveInputStream tar, String previous) throws IOException {
        try {
            return tar.getNextEntry();
        } catch (IOException | IllegalArgumentException | IllegalStateException e) {
            throw new IOException("Archive is not a readable tar archive "
                    + (previous == null ? "at its first entry" : "after entry " + Syntax.show(previous)) + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * Copies exactly the entry's declared size, failing if the archive ends before it. Runs of zeros
     * become holes: disk images come out of the SDK container as tar entries without holes, and
     * written as they come, an uncompressed 2 GiB image would take 2 GiB of disk however little it holds.
     */
    private static void copyExactly(TarArchiveInputStream tar, java.nio.channels.FileChannel out, long size,
            String name) throws IOException {
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
            if (!SparseCopy.allZero(buffer, 0, n)) {
                java.nio.ByteBuffer chunk = java.nio.ByteBuffer.wrap(buffer, 0, n);
                while (chunk.hasRemaining()) {
                    out.write(chunk, copied + chunk.position());
                }
            }
            copied += n;
        }
        if (out.size() < size) {
            // A file that ends in zeros: extend it without writing them.
            out.write(java.nio.ByteBuffer.allocate(1), size - 1);
        }
    }

}
