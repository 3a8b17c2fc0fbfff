package dev.twoliter.engine.sbom;

import dev.twoliter.engine.io.Digests;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.UUID;

/**
 * RFC 4122 name-based UUIDs (version 5, SHA-1), which the JDK does not make: the SBOMs' serial
 * number and namespace come from their content, so that the same content always gets the same
 * identifier and different content a different one, with no random source involved.
 */
final class NameBasedUuid {
    /** RFC 4122's namespace for URLs, under which {@link #TWOLITER} is named. */
    static final UUID URL_NAMESPACE = UUID.fromString("6ba7b811-9dad-11d1-80b4-00c04fd430c8");
    /** The namespace of every UUID the SBOM writers make. */
    static final UUID TWOLITER = v5(URL_NAMESPACE, "urn:twoliter:sbom");

    private NameBasedUuid() {}

    static UUID v5(UUID namespace, String name) {
        MessageDigest sha1 = Digests.newDigest("SHA-1");
        sha1.update(ByteBuffer.allocate(16).putLong(namespace.getMostSignificantBits())
                .putLong(namespace.getLeastSignificantBits()).array());
        sha1.update(name.getBytes(StandardCharsets.UTF_8));
        ByteBuffer hash = ByteBuffer.wrap(sha1.digest());
        long msb = hash.getLong(0);
        long lsb = hash.getLong(8);
        msb = msb & ~0xF000L | 0x5000L;
        lsb = lsb & 0x3FFFFFFFFFFFFFFFL | 0x8000000000000000L;
        return new UUID(msb, lsb);
    }

    /** The UUID of a document of {@code format} whose bytes (without this UUID) have this digest. */
    static UUID ofContent(String format, String sha256) {
        return v5(TWOLITER, format + ":" + sha256);
    }
}
