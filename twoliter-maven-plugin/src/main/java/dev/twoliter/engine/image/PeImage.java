package dev.twoliter.engine.image;

import dev.twoliter.engine.signing.PeLayout;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes a PE image built by objcopy reproducible. objcopy (2.40) stamps the wall clock into the COFF
 * header's TimeDateStamp of the UKI it assembles from systemd's EFI stub and ignores SOURCE_DATE_EPOCH,
 * so two builds of the same inputs differ in that field and in the optional header's CheckSum that covers
 * it. Setting the stamp to the build's epoch and recomputing the checksum makes them equal again.
 */
final class PeImage {
    /** From the PE signature: 4 signature bytes, then the COFF header whose second field is the stamp. */
    static final int TIME_DATE_STAMP = 4 + 4;

    private PeImage() {}

    static void setTimestampAndChecksum(Path file, long epochSeconds) throws IOException {
        byte[] image = Files.readAllBytes(file);
        try {
            setTimestampAndChecksum(image, epochSeconds);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
        Files.write(file, image);
    }

    /** Rewrites {@code image} in place. */
    static void setTimestampAndChecksum(byte[] image, long epochSeconds) {
        if (epochSeconds < 0 || epochSeconds > 0xffff_ffffL) {
            // TimeDateStamp is an unsigned 32-bit count of seconds: it cannot say 1969 or 2106.
            throw new IllegalArgumentException("PE timestamps run from 0 to 4294967295 seconds; "
                    + epochSeconds + " is out of range");
        }
        int pe = PeLayout.peHeader(image);
        ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN).putInt(pe + TIME_DATE_STAMP, (int) epochSeconds);
        PeLayout.updateChecksum(image);
    }
}
