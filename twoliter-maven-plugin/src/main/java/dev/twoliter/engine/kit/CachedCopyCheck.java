package dev.twoliter.engine.kit;

import dev.twoliter.engine.Syntax;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Whether an unpacked copy in the kit cache is still what was unpacked: its index names the
 * payload and the manifest's RPMs, and the files match the index as thoroughly as the {@link
 * KitCache.Verification} asks.
 */
final class CachedCopyCheck {
    private CachedCopyCheck() {}

    /**
     * Why the cached copy differs from what was unpacked (its index, and the manifest's RPMs), or
     * empty if it does not.
     */
    static Optional<String> difference(Path target, KitManifest.Payload expected, KitCache.Verification verification) {
        if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.of("it is " + (Files.isSymbolicLink(target) ? "a symbolic link" : "a file")
                    + ", not a directory");
        }
        CacheIndex index;
        try {
            index = CacheIndex.read(target);
        } catch (NoSuchFileException e) {
            return Optional.of("its index " + CacheIndex.FILE_NAME + " is missing");
        } catch (IOException e) {
            return Optional.of("its index " + CacheIndex.FILE_NAME + " is unreadable: " + e.getMessage());
        }
        if (!index.payloadSha256().equals(expected.sha256())) {
            return Optional.of("its index describes payload " + index.payloadSha256());
        }
        for (KitManifest.Rpm rpm : expected.rpms()) {
            CacheIndex.FileRecord file = index.files().get(rpm.path());
            if (file == null || file.size() != rpm.size() || !file.sha256().equals(rpm.sha256())) {
                return Optional.of("its index does not list " + Syntax.show(rpm.path()) + " as the manifest does");
            }
        }
        long rpmsInIndex = index.files().keySet().stream().filter(KitLayout::isRpm).count();
        if (rpmsInIndex != expected.rpms().size()) {
            return Optional.of("its index lists " + rpmsInIndex + " RPMs, the manifest " + expected.rpms().size());
        }
        try {
            return index.difference(target, verification == KitCache.Verification.FULL);
        } catch (IOException e) {
            return Optional.of("it cannot be read: " + e);
        }
    }
}
