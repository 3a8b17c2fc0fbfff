package dev.twoliter.engine.settings;

import dev.twoliter.engine.io.AtomicFiles;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The disk that hands user data to a machine (docs/settings.md, "The OS contract"): a raw disk
 * whose content is a POSIX ustar archive, its first entry {@value #USER_DATA} (the user data as
 * written), then {@code rendered/<path>} for each configuration file rendered from it, with its
 * mode. The OS finds the disk by that first entry, writes the files to a tmpfs and binds them over
 * the image's own. Plain ustar (no PAX or GNU extensions) so that a small static init can read it.
 */
public final class UserDataDisk {
    public static final String USER_DATA = "twoliter-user-data.toml";
    public static final String RENDERED = "rendered/";
    /** What the example OS reads at most: entries, bytes an entry, bytes in all. */
    public static final int MAX_ENTRIES = 64;
    public static final int MAX_ENTRY_BYTES = 1 << 20;
    public static final int MAX_ARCHIVE_BYTES = 16 << 20;
    private static final int USTAR_NAME = 100;
    private static final int DISK_ALIGNMENT = 1 << 20;

    private UserDataDisk() {}

    /** Writes the disk for this user data and what was rendered from it. */
    public static void write(String userData, List<SettingsRendering.RenderedFile> files, Path target)
            throws SettingsException, IOException {
        if (files.size() + 1 > MAX_ENTRIES) {
            throw new SettingsException("the user data renders " + files.size() + " configuration files; the"
                    + " user-data disk holds at most " + (MAX_ENTRIES - 1) + ".");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_ERROR);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_ERROR);
        add(tar, USER_DATA, 0600, userData);
        for (SettingsRendering.RenderedFile file : files) {
            String name = RENDERED + file.path().substring(1);
            if (name.getBytes(StandardCharsets.UTF_8).length >= USTAR_NAME) {
                throw new SettingsException(file.path() + " is too long a path for the user-data disk (a ustar name"
                        + " holds " + (USTAR_NAME - 1 - RENDERED.length()) + " bytes after " + RENDERED + ").");
            }
            add(tar, name, Integer.parseInt(file.mode(), 8), file.content());
        }
        tar.finish();
        if (bytes.size() > MAX_ARCHIVE_BYTES) {
            throw new SettingsException("the user data and its rendered files take " + bytes.size() + " bytes; the"
                    + " user-data disk holds at most " + MAX_ARCHIVE_BYTES + ".");
        }
        byte[] disk = new byte[(bytes.size() + DISK_ALIGNMENT - 1) / DISK_ALIGNMENT * DISK_ALIGNMENT];
        System.arraycopy(bytes.toByteArray(), 0, disk, 0, bytes.size());
        AtomicFiles.write(target, disk);
    }

    private static void add(TarArchiveOutputStream tar, String name, int mode, String text)
            throws SettingsException, IOException {
        byte[] content = text.getBytes(StandardCharsets.UTF_8);
        if (content.length > MAX_ENTRY_BYTES) {
            throw new SettingsException(name + " is " + content.length + " bytes; the user-data disk holds at most "
                    + MAX_ENTRY_BYTES + " an entry.");
        }
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setMode(mode); // permission bits only, as tar writes them: the type is the entry's type flag
        entry.setIds(0, 0);
        entry.setModTime(new Date(0));
        entry.setSize(content.length);
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }
}
