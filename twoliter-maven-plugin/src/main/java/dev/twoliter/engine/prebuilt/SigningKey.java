package dev.twoliter.engine.prebuilt;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The vendor's OpenPGP public key (armored) that every prebuilt RPM of a module must be signed with.
 * Checked here for shape and size only; rpm itself reads it in the SDK.
 */
public record SigningKey(Path file) {
    static final int MAX_BYTES = 1 << 20;
    private static final String PUBLIC_BLOCK = "-----BEGIN PGP PUBLIC KEY BLOCK-----";
    private static final String SECRET_BLOCK = "PRIVATE KEY BLOCK-----";

    /** Reads and checks the key file; {@code setting} names it in errors. */
    public static SigningKey of(Path file, String module, String setting) throws PrebuiltException, IOException {
        if (!Files.isRegularFile(file)) {
            throw new PrebuiltException(module + ": " + setting + " " + file + " is not a file. Export the vendor's"
                    + " public key there (armored, as `gpg --export --armor` writes it).");
        }
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_BYTES + 1);
        }
        String text = new String(bytes, StandardCharsets.US_ASCII);
        if (bytes.length > MAX_BYTES || !text.contains(PUBLIC_BLOCK)) {
            throw new PrebuiltException(module + ": " + setting + " " + file + " is not an armored OpenPGP public key"
                    + " (no " + PUBLIC_BLOCK + " line" + (bytes.length > MAX_BYTES ? ", and larger than 1 MiB" : "")
                    + "). Export the vendor's key with `gpg --export --armor <id>`.");
        }
        if (text.contains(SECRET_BLOCK)) {
            throw new PrebuiltException(module + ": " + setting + " " + file + " holds a secret key. Only the"
                    + " vendor's public key belongs in the project; remove the secret key from it.");
        }
        return new SigningKey(file);
    }
}
