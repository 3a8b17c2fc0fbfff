package dev.twoliter.engine.image;

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
    /** Where the DOS header keeps the PE header's offset (e_lfanew). */
    static final int PE_OFFSET_FIELD = 0x3c;
    /** From the PE signature: 4 signature bytes, then the 20-byte COFF header, then the optional header. */
    static final int TIME_DATE_STAMP = 4 + 4;
    static final int SIZE_OF_OPTIONAL_HEADER = 4 + 16;
    static final int OPTIONAL_HEADER = 4 + 20;
    /** CheckSum sits at the same place in PE32 and PE32+ optional headers: the fields before it agree in size. */
    static final int CHECKSUM = OPTIONAL_HEADER + 64;
    static final int PE32_MAGIC = 0x10b;
    static final int PE32_PLUS_MAGIC = 0x20b;

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
        int pe = peHeader(image);
        ByteBuffer buffer = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(pe + TIME_DATE_STAMP, (int) epochSeconds);
        buffer.putInt(pe + CHECKSUM, 0);
        buffer.putInt(pe + CHECKSUM, (int) checksum(image));
    }

    /** The offset of the "PE\0\0" signature, after checking that the fields we rewrite are really there. */
    static int peHeader(byte[] image) {
        if (image.length < PE_OFFSET_FIELD + 4) {
            throw new IllegalArgumentException(
                    "not a PE image: " + image.length + " bytes is shorter than a DOS header");
        }
        if (image[0] != 'M' || image[1] != 'Z') {
            throw new IllegalArgumentException("not a PE image: no MZ signature");
        }
        ByteBuffer buffer = ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
        long pe = Integer.toUnsignedLong(buffer.getInt(PE_OFFSET_FIELD));
        if (pe < PE_OFFSET_FIELD + 4 || pe > image.length - (CHECKSUM + 4L)) {
            throw new IllegalArgumentException("not a PE image or truncated: the PE header at offset " + pe
                    + " does not fit in " + image.length + " bytes");
        }
        int at = (int) pe;
        if (buffer.getInt(at) != 0x0000_4550) {
            throw new IllegalArgumentException("not a PE image: no \"PE\\0\\0\" signature at offset " + at);
        }
        int optionalHeaderSize = Short.toUnsignedInt(buffer.getShort(at + SIZE_OF_OPTIONAL_HEADER));
        int magic = Short.toUnsignedInt(buffer.getShort(at + OPTIONAL_HEADER));
        if (optionalHeaderSize < CHECKSUM + 4 - OPTIONAL_HEADER || (magic != PE32_MAGIC && magic != PE32_PLUS_MAGIC)) {
            throw new IllegalArgumentException(String.format(
                    "not a PE image: optional header of %d bytes with magic 0x%x has no CheckSum field",
                    optionalHeaderSize, magic));
        }
        return at;
    }

    /**
     * The PE checksum of {@code image} as it stands (the CheckSum field must already be zero): the
     * ones'-complement-style sum of its little-endian 16-bit words, folded to 16 bits, plus its length.
     */
    static long checksum(byte[] image) {
        long sum = 0;
        for (int i = 0; i < image.length; i += 2) {
            int word = (image[i] & 0xff) | (i + 1 < image.length ? (image[i + 1] & 0xff) << 8 : 0);
            sum += word;
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        sum = (sum & 0xffff) + (sum >>> 16);
        return (sum + image.length) & 0xffff_ffffL;
    }
}
