package dev.twoliter.engine.fingerprint;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A file's identity and change times: size, inode, modification and status-change times, in
 * nanoseconds. Writing a file, replacing it, or restoring its old modification time all change
 * the status-change time, which no unprivileged program can set back; so an equal stamp means the
 * bytes a digest was taken of are still there, without reading gigabytes of image again.
 *
 * <p>File systems keep these times at the kernel's clock tick (milliseconds), so a write in the
 * same tick as the stamp could leave it unchanged: a stamp is only given for a file whose last
 * change is older than {@link #SETTLED}, when any later write must bear a later time.
 */
public final class FileStamp {
    static final Duration SETTLED = Duration.ofSeconds(1);

    private FileStamp() {}

    /**
     * The stamp of a regular file last changed before {@code now} minus {@link #SETTLED}; empty for a
     * file changed more recently, or where the file system does not give inode and status-change
     * time (no "unix" attribute view): callers then read the file instead.
     */
    public static Optional<String> ofSettled(Path file, Instant now) throws IOException {
        return of(file).filter(stamp -> changedNanos(stamp) < now.minus(SETTLED).toEpochMilli() * 1_000_000L);
    }

    private static long changedNanos(String stamp) {
        return Long.parseLong(stamp.substring(stamp.lastIndexOf(':') + 1));
    }

    /** The stamp of a regular file now, to compare with a recorded one; empty as for {@link #ofSettled}. */
    public static Optional<String> of(Path file) throws IOException {
        Map<String, Object> attributes;
        try {
            attributes = Files.readAttributes(file, "unix:size,ino,lastModifiedTime,ctime,isRegularFile",
                    LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException | UnsupportedOperationException | IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!Boolean.TRUE.equals(attributes.get("isRegularFile"))
                || !(attributes.get("size") instanceof Long size)
                || !(attributes.get("ino") instanceof Long inode)
                || !(attributes.get("lastModifiedTime") instanceof FileTime modified)
                || !(attributes.get("ctime") instanceof FileTime changed)) {
            return Optional.empty();
        }
        return Optional.of(size + ":" + inode + ":" + modified.to(TimeUnit.NANOSECONDS) + ":"
                + changed.to(TimeUnit.NANOSECONDS));
    }
}
