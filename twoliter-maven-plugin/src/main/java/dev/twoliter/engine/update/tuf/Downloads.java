package dev.twoliter.engine.update.tuf;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;

/** Reading files from a {@link RepositorySource} within bounds, and checking them against listed hashes. */
final class Downloads {
    private Downloads() {}

    /** The file's bytes, or empty if the server lacks it; a file over {@code max} bytes is refused. */
    static Optional<byte[]> read(RepositorySource source, String fileName, long max) throws TufException {
        Optional<Path> file = source.fetch(fileName, max);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(file.get())) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
            if (bytes.length > max) {
                throw new TufException(fileName + " from the repository is larger than " + max + " bytes, the most"
                        + " accepted for it; the server is broken or hostile.");
            }
            return Optional.of(bytes);
        } catch (IOException e) {
            throw new TufException("Cannot read " + fileName + " fetched from the repository (" + file.get() + "): "
                    + e.getMessage(), e);
        }
    }

    static byte[] require(RepositorySource source, String fileName, long max, String why) throws TufException {
        return read(source, fileName, max).orElseThrow(() -> new TufException("The repository has no " + fileName
                + ", which " + why + ". The repository is incomplete (an upload in progress or failed?)."));
    }

    static MessageDigest digest(String algorithm) {
        return dev.twoliter.engine.io.Digests.newDigest(algorithm.equals("sha256") ? "SHA-256" : "SHA-512");
    }

    static boolean known(String algorithm) {
        return algorithm.equals("sha256") || algorithm.equals("sha512");
    }

    /** Checks the length and every known hash that {@code where} lists for {@code fileName}. */
    static void check(byte[] bytes, MetaFile expected, String fileName, String where) throws TufException {
        if (expected.length().isPresent() && expected.length().getAsLong() != bytes.length) {
            throw new TufException(fileName + " has " + bytes.length + " bytes, but " + where + " lists "
                    + expected.length().getAsLong() + ". The file was replaced or altered; do not use it.");
        }
        for (Map.Entry<String, String> hash : expected.hashes().entrySet()) {
            if (known(hash.getKey())) {
                String actual = HexFormat.of().formatHex(digest(hash.getKey()).digest(bytes));
                if (!actual.equals(hash.getValue())) {
                    throw new TufException(fileName + " has " + hash.getKey() + " " + actual + ", but " + where
                            + " lists " + hash.getValue() + ". The file was replaced or altered; do not use it.");
                }
            }
        }
    }
}
