package dev.twoliter.engine.bank;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32;

/**
 * The partitions of a raw disk image, read from its primary GPT. The image may come from
 * anywhere, so every field is checked before it is used: the signature, both CRCs, the entry
 * array's size, and every partition's sectors against the usable area and the file's length.
 * Only what the bank tools need is kept: name and byte range.
 */
final class DiskPartitions {
    static final int SECTOR = 512;
    /** More entries than any partitioning tool writes; bounds the array read from a hostile header. */
    private static final int MAX_ENTRIES = 1024;
    private static final int MIN_ENTRY_SIZE = 128;
    private static final int MAX_ENTRY_SIZE = 4096;
    private static final int NAME_OFFSET = 56;
    private static final int NAME_BYTES = 72;

    /** One used entry: number (1-based), GPT name, first byte, length in bytes. */
    record Partition(int number, String name, long offset, long length) {
        long end() {
            return offset + length;
        }
    }

    private DiskPartitions() {}

    static List<Partition> read(FileChannel disk) throws IOException {
        long size = disk.size();
        ByteBuffer header = readFully(disk, SECTOR, SECTOR);
        if (!"EFI PART".equals(new String(header.array(), 0, 8, StandardCharsets.US_ASCII))) {
            throw new IOException("The disk has no GPT (no 'EFI PART' signature in sector 1)");
        }
        int headerSize = header.getInt(12);
        if (headerSize < 92 || headerSize > SECTOR) {
            throw new IOException("The GPT header's size " + Integer.toUnsignedString(headerSize) + " is not 92-512");
        }
        int storedCrc = header.getInt(16);
        header.putInt(16, 0);
        if (crc(header.array(), headerSize) != storedCrc) {
            throw new IOException("The GPT header's CRC does not match");
        }
        long firstUsable = header.getLong(40);
        long lastUsable = header.getLong(48);
        long entriesLba = header.getLong(72);
        int count = header.getInt(80);
        int entrySize = header.getInt(84);
        if (count < 0 || count > MAX_ENTRIES || entrySize < MIN_ENTRY_SIZE || entrySize > MAX_ENTRY_SIZE
                || entrySize % 8 != 0) {
            throw new IOException("The GPT's entry array (" + Integer.toUnsignedString(count) + " entries of "
                    + Integer.toUnsignedString(entrySize) + " bytes) is not one a disk would have");
        }
        long arrayBytes = (long) count * entrySize;
        if (entriesLba < 2 || entriesLba > size / SECTOR || entriesLba * SECTOR + arrayBytes > size) {
            throw new IOException("The GPT's entry array (sector " + entriesLba + ") is outside the disk");
        }
        ByteBuffer array = readFully(disk, entriesLba * SECTOR, (int) arrayBytes);
        if (crc(array.array(), (int) arrayBytes) != header.getInt(88)) {
            throw new IOException("The GPT entry array's CRC does not match");
        }
        long sectors = size / SECTOR;
        if (firstUsable < 2 || lastUsable < firstUsable || lastUsable >= sectors) {
            throw new IOException("The GPT's usable sectors " + firstUsable + "-" + lastUsable
                    + " do not fit a disk of " + sectors + " sectors");
        }
        List<Partition> partitions = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int at = i * entrySize;
            if (array.getLong(at) == 0 && array.getLong(at + 8) == 0) {
                continue; // unused entry: zero type GUID
            }
            long first = array.getLong(at + 32);
            long last = array.getLong(at + 40);
            if (first < firstUsable || last < first || last > lastUsable) {
                throw new IOException("Partition " + (i + 1) + " (sectors " + first + "-" + last
                        + ") is outside the usable sectors " + firstUsable + "-" + lastUsable);
            }
            partitions.add(new Partition(i + 1, name(array.array(), at + NAME_OFFSET), first * SECTOR,
                    (last - first + 1) * SECTOR));
        }
        return List.copyOf(partitions);
    }

    /** The one partition with this name; none or two is an error, since writing the wrong one destroys data. */
    static Partition named(List<Partition> partitions, String name) throws IOException {
        List<Partition> found = partitions.stream().filter(p -> p.name().equals(name)).toList();
        if (found.size() != 1) {
            throw new IOException("The disk has " + found.size() + " partitions named " + name + ", not one");
        }
        return found.get(0);
    }

    /** A GPT name: UTF-16LE, up to 36 units, ending at the first NUL. */
    private static String name(byte[] bytes, int offset) {
        int length = 0;
        while (length < NAME_BYTES && (bytes[offset + length] != 0 || bytes[offset + length + 1] != 0)) {
            length += 2;
        }
        return new String(bytes, offset, length, StandardCharsets.UTF_16LE);
    }

    static ByteBuffer readFully(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("The disk ends at byte " + (position + buffer.position()) + ", before "
                        + (position + length));
            }
        }
        return buffer.clear();
    }

    private static int crc(byte[] bytes, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, length);
        return (int) crc.getValue();
    }
}
