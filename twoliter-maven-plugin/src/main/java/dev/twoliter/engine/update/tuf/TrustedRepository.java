package dev.twoliter.engine.update.tuf;

import dev.twoliter.engine.io.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Metadata that {@link TufClient} verified, all from one consistent snapshot. Keep it (and
 * {@code rootFileBytes}, the newest trusted root) for the next refresh's rollback checks.
 */
public record TrustedRepository(RootMetadata root, byte[] rootFileBytes, TimestampMetadata timestamp,
        SnapshotMetadata snapshot, TargetsMetadata targets) {
    public TrustedRepository {
        rootFileBytes = rootFileBytes.clone();
    }

    @Override
    public byte[] rootFileBytes() {
        return rootFileBytes.clone();
    }

    /**
     * Downloads a listed target and moves it to {@code destination} only if its length and every
     * sha256/sha512 hash listed match; otherwise nothing is left behind.
     */
    public Path fetchTarget(String name, RepositorySource source, Path destination) throws TufException {
        TargetFile target = targets.targets().get(name);
        String where = targets.version() + ".targets.json";
        if (target == null) {
            throw new TufException("Target \"" + name + "\" is not listed in " + where + "; it cannot be trusted.");
        }
        String fileName = fileName(name, target, root.consistentSnapshot());
        Path fetched = source.fetch(fileName, target.length()).orElseThrow(() -> new TufException("The repository"
                + " has no " + fileName + ", which " + where + " lists as target \"" + name + "\"."));
        Path temp = null;
        try {
            temp = AtomicFiles.tempSibling(destination);
            Map<String, MessageDigest> digests = new TreeMap<>();
            target.hashes().keySet().stream().filter(Downloads::known)
                    .forEach(a -> digests.put(a, Downloads.digest(a)));
            long length = copy(fetched, temp, target.length() + 1, digests);
            if (length != target.length()) {
                String found = length > target.length() ? "more than " + target.length() : String.valueOf(length);
                throw new TufException("Target " + fileName + " has " + found + " bytes, but " + where + " lists "
                        + target.length() + ". The file was replaced or altered; it was not installed.");
            }
            for (Map.Entry<String, MessageDigest> d : digests.entrySet()) {
                String actual = HexFormat.of().formatHex(d.getValue().digest());
                if (!actual.equals(target.hashes().get(d.getKey()))) {
                    throw new TufException("Target " + fileName + " has " + d.getKey() + " " + actual + ", but "
                            + where + " lists " + target.hashes().get(d.getKey()) + ". The file was replaced or"
                            + " altered; it was not installed.");
                }
            }
            AtomicFiles.moveIntoPlace(temp, destination);
            temp = null;
            return destination;
        } catch (IOException e) {
            throw new TufException("Cannot write target \"" + name + "\" to " + destination + ": " + e.getMessage(),
                    e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException e) {
                    // the temporary file is hidden and named .part; a later cleanup removes it
                }
            }
        }
    }

    /** Where a consistent snapshot stores a target: its sha256, a dot and the name, in the name's directory. */
    static String fileName(String name, TargetFile target, boolean consistent) {
        if (!consistent) {
            return name;
        }
        String hash = Optional.ofNullable(target.hashes().get("sha256")).orElse(target.hashes().get("sha512"));
        int slash = name.lastIndexOf('/');
        return name.substring(0, slash + 1) + hash + "." + name.substring(slash + 1);
    }

    /** Copies at most {@code max} bytes, feeding the digests; returns the number copied. */
    private static long copy(Path from, Path to, long max, Map<String, MessageDigest> digests) throws IOException {
        long total = 0;
        try (InputStream in = Files.newInputStream(from); OutputStream out = Files.newOutputStream(to)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; total < max && (n = in.read(buffer, 0, (int) Math.min(buffer.length, max - total))) > 0; ) {
                out.write(buffer, 0, n);
                for (MessageDigest d : digests.values()) {
                    d.update(buffer, 0, n);
                }
                total += n;
            }
        }
        return total;
    }
}
