package dev.twoliter.engine.signing;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Locale;
import org.bouncycastle.openpgp.api.OpenPGPApi;
import org.bouncycastle.openpgp.api.bc.BcOpenPGPApi;

/** What the signing classes share: BouncyCastle's OpenPGP API and bounded reads of key and signature files. */
final class OpenPgpFiles {
    /** A key file holds a few keys of a few KiB each; the bound keeps a wrong file from filling memory. */
    static final int MAX_KEY_FILE_BYTES = 1 << 20;

    private OpenPgpFiles() {}

    static OpenPGPApi api() {
        return new BcOpenPGPApi();
    }

    /** The whole file if it has at most {@code max} bytes; {@code what} names it in errors. */
    static byte[] read(Path file, int max, String what) throws SigningException {
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length > max) {
                throw new SigningException(what + " " + file + " is larger than " + (max >> 10)
                        + " KiB; it is not a key or signature file.");
            }
            return bytes;
        } catch (IOException e) {
            throw new SigningException("Cannot read " + what + " " + file + ": " + e.getMessage(), e);
        }
    }

    /** A fingerprint as written in locks and messages: upper-case hex, no spaces. */
    static String hex(byte[] fingerprint) {
        return HexFormat.of().formatHex(fingerprint).toUpperCase(Locale.ROOT);
    }
}
