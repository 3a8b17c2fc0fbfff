package dev.twoliter.engine.io;

import dev.twoliter.engine.Syntax;
import java.io.IOException;
import java.util.Optional;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * What an archive entry may be and where it may go: the checks behind {@link Tars#unsupportedKind}
 * and {@link Tars#unsafePath} (for reading) and the archive paths {@link Tars#write} accepts.
 */
final class TarEntryChecks {
    private TarEntryChecks() {}

    /**
     * Why an entry is something other than a plain regular file or directory (a link, device, FIFO,
     * sparse file or an unusual tar type), or empty if it is plain.
     */
    static Optional<String> unsupportedKind(TarArchiveEntry entry) {
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
    static Optional<String> unsafePath(String name) {
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

    /** Refuses a path to write into an archive that would lead out of wherever it is unpacked. */
    static void checkRelative(String name) throws IOException {
        if (name.startsWith("/") || name.contains("\\") || name.equals("..") || name.startsWith("../")
                || name.contains("/../") || name.endsWith("/..")) {
            throw new IOException("Unsafe archive path: " + name);
        }
    }

    private static String typeName(byte type) {
        char c = (char) (type & 0xff);
        return c >= 0x21 && c < 0x7f ? "'" + c + "'" : String.format("0x%02x", type & 0xff);
    }
}
