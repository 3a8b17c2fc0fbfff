package dev.twoliter.engine.signing;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Where the fields of a PE/COFF executable (an EFI binary) are that reproducible builds and
 * Authenticode signatures touch: the time stamp, the checksum, the certificate table's data
 * directory entry, the headers' size and the sections' raw data. Every offset is checked against the
 * file's length before use: a kernel package or an EFI stub is input like any other.
 */
public final class PeLayout {
    /** Where the DOS header keeps the PE header's offset (e_lfanew). */
    static final int PE_OFFSET_FIELD = 0x3c;
    /** From the PE signature: 4 signature bytes, then the 20-byte COFF header, then the optional header. */
    static final int NUMBER_OF_SECTIONS = 4 + 2;
    static final int TIME_DATE_STAMP = 4 + 4;
    static final int SIZE_OF_OPTIONAL_HEADER = 4 + 16;
    static final int OPTIONAL_HEADER = 4 + 20;
    /** The fields up to CheckSum agree in size in PE32 and PE32+ optional headers. */
    static final int SIZE_OF_HEADERS = OPTIONAL_HEADER + 60;
    static final int CHECKSUM = OPTIONAL_HEADER + 64;
    static final int PE32_MAGIC = 0x10b;
    static final int PE32_PLUS_MAGIC = 0x20b;
    /** The certificate table is data directory 4; each directory entry is 8 bytes. */
    static final int CERTIFICATE_DIRECTORY = 4;
    static final int SECTION_HEADER_SIZE = 40;

    /** One section's raw data in the file. */
    public record Section(long offset, long size) {}

    private final int peHeader;
    private final int checksum;
    private final int certificateEntry;
    private final long sizeOfHeaders;
    private final List<Section> sections;

    private PeLayout(int peHeader, int checksum, int certificateEntry, long sizeOfHeaders, List<Section> sections) {
        this.peHeader = peHeader;
        this.checksum = checksum;
        this.certificateEntry = certificateEntry;
        this.sizeOfHeaders = sizeOfHeaders;
        this.sections = sections;
    }

    /** The offset of the "PE\0\0" signature, after checking that the header fields up to CheckSum are there. */
    public static int peHeader(byte[] image) {
        if (image.length < PE_OFFSET_FIELD + 4) {
            throw new IllegalArgumentException(
                    "not a PE image: " + image.length + " bytes is shorter than a DOS header");
        }
        if (image[0] != 'M' || image[1] != 'Z') {
            throw new IllegalArgumentException("not a PE image: no MZ signature");
        }
        ByteBuffer buffer = le(image);
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

    /** Reads and checks the whole layout an Authenticode signature needs. */
    public static PeLayout of(byte[] image) {
        int pe = peHeader(image);
        ByteBuffer buffer = le(image);
        int optionalHeaderSize = Short.toUnsignedInt(buffer.getShort(pe + SIZE_OF_OPTIONAL_HEADER));
        boolean plus = Short.toUnsignedInt(buffer.getShort(pe + OPTIONAL_HEADER)) == PE32_PLUS_MAGIC;
        int directoryCountField = OPTIONAL_HEADER + (plus ? 108 : 92);
        int directories = OPTIONAL_HEADER + (plus ? 112 : 96);
        if (optionalHeaderSize < directoryCountField + 4 - OPTIONAL_HEADER) {
            throw new IllegalArgumentException("not a PE image: its optional header of " + optionalHeaderSize
                    + " bytes has no data directories");
        }
        long directoryCount = Integer.toUnsignedLong(buffer.getInt(pe + directoryCountField));
        int certificateEntry = directories + CERTIFICATE_DIRECTORY * 8;
        if (directoryCount <= CERTIFICATE_DIRECTORY || certificateEntry + 8 - OPTIONAL_HEADER > optionalHeaderSize) {
            throw new IllegalArgumentException("not a signable PE image: it has " + directoryCount
                    + " data directories, none for a certificate table");
        }
        long sizeOfHeaders = Integer.toUnsignedLong(buffer.getInt(pe + SIZE_OF_HEADERS));
        long sectionTable = (long) pe + OPTIONAL_HEADER + optionalHeaderSize;
        int sectionCount = Short.toUnsignedInt(buffer.getShort(pe + NUMBER_OF_SECTIONS));
        long sectionTableEnd = sectionTable + (long) sectionCount * SECTION_HEADER_SIZE;
        if (sectionTableEnd > image.length || sizeOfHeaders < sectionTableEnd || sizeOfHeaders > image.length) {
            throw new IllegalArgumentException("not a PE image or truncated: headers of " + sizeOfHeaders
                    + " bytes with " + sectionCount + " sections do not fit in " + image.length + " bytes");
        }
        List<Section> sections = new ArrayList<>();
        for (int i = 0; i < sectionCount; i++) {
            int header = (int) (sectionTable + (long) i * SECTION_HEADER_SIZE);
            long size = Integer.toUnsignedLong(buffer.getInt(header + 16));
            long offset = Integer.toUnsignedLong(buffer.getInt(header + 20));
            if (size == 0) {
                continue;
            }
            if (offset < sizeOfHeaders || offset + size > image.length) {
                throw new IllegalArgumentException("not a PE image or truncated: section " + (i + 1) + " claims "
                        + size + " bytes at offset " + offset + " in a file of " + image.length + " bytes");
            }
            sections.add(new Section(offset, size));
        }
        sections.sort(Comparator.comparingLong(Section::offset));
        for (int i = 1; i < sections.size(); i++) {
            if (sections.get(i).offset() < sections.get(i - 1).offset() + sections.get(i - 1).size()) {
                throw new IllegalArgumentException("not a signable PE image: sections overlap at offset "
                        + sections.get(i).offset());
            }
        }
        return new PeLayout(pe, pe + CHECKSUM, pe + certificateEntry, sizeOfHeaders, List.copyOf(sections));
    }

    int checksumOffset() {
        return checksum;
    }

    int certificateEntryOffset() {
        return certificateEntry;
    }

    long sizeOfHeaders() {
        return sizeOfHeaders;
    }

    List<Section> sections() {
        return sections;
    }

    /** Where the last section's raw data ends (the headers' end if there are no sections). */
    long endOfSections() {
        return sections.isEmpty() ? sizeOfHeaders : sections.get(sections.size() - 1).offset()
                + sections.get(sections.size() - 1).size();
    }

    /** The certificate table's file offset and size as the data directory says (0, 0: unsigned). */
    long[] certificateTable(byte[] image) {
        ByteBuffer buffer = le(image);
        return new long[] {Integer.toUnsignedLong(buffer.getInt(certificateEntry)),
                Integer.toUnsignedLong(buffer.getInt(certificateEntry + 4))};
    }

    /**
     * The PE checksum of {@code image} as it stands (the CheckSum field must already be zero): the
     * ones'-complement-style sum of its little-endian 16-bit words, folded to 16 bits, plus its length.
     */
    public static long checksum(byte[] image) {
        long sum = 0;
        for (int i = 0; i < image.length; i += 2) {
            int word = (image[i] & 0xff) | (i + 1 < image.length ? (image[i + 1] & 0xff) << 8 : 0);
            sum += word;
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        sum = (sum & 0xffff) + (sum >>> 16);
        return (sum + image.length) & 0xffff_ffffL;
    }

    /** Zeroes the CheckSum field of {@code image} and writes the checksum of the result there. */
    public static void updateChecksum(byte[] image) {
        int at = peHeader(image) + CHECKSUM;
        ByteBuffer buffer = le(image);
        buffer.putInt(at, 0);
        buffer.putInt(at, (int) checksum(image));
    }

    static ByteBuffer le(byte[] image) {
        return ByteBuffer.wrap(image).order(ByteOrder.LITTLE_ENDIAN);
    }

    int peHeaderOffset() {
        return peHeader;
    }
}
