package dev.twoliter.engine.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Hex digests of files and strings. */
public final class Digests {
    private Digests() {}

    public static String sha256(Path file) throws IOException {
        return hexOf(file, "SHA-256");
    }

    public static String sha512(Path file) throws IOException {
        return hexOf(file, "SHA-512");
    }

    public static String sha256(String text) {
        return HexFormat.of().formatHex(newDigest("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    }

    public static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(newDigest("SHA-256").digest(bytes));
    }

    public static MessageDigest newDigest(String algorithm) {
        try {
            return MessageDigest.getInstance(algorithm);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JVM lacks " + algorithm, e);
        }
    }

    private static String hexOf(Path file, String algorithm) throws IOException {
        MessageDigest digest = newDigest(algorithm);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** For stream pipelines, where checked exceptions cannot pass. */
    public static String sha256Unchecked(Path file) {
        try {
            return sha256(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
