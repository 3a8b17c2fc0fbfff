package dev.twoliter.engine.image;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32;

/**
 * A disk's GUID partition table, laid out byte for byte as sgdisk lays it out for the same
 * partitions (protective MBR without boot code, 128 entries, first usable LBA 34, backup at the
 * end), so that images do not change with the tool that wrote the table. The plugin writes it
 * instead of a partitioning tool because those tools call sync(2), which flushes every file system
 * of the machine, and sgdisk then sleeps a second: per disk, in every variant build.
 *
 * @param diskSectors the disk's size in 512-byte sectors
 */
record GuidPartitionTable(long diskSectors, UUID diskGuid, List<Entry> entries) {
    static final int SECTOR = 512;
    static final int ENTRY_COUNT = 128;
    static final int ENTRY_SIZE = 128;
    /** Sectors of the entry array: 32. */
    static final int ENTRY_SECTORS = ENTRY_COUNT * ENTRY_SIZE / SECTOR;
    static final long FIRST_USABLE = 2 + ENTRY_SECTORS;
    private static final int HEADER_SIZE = 92;
    private static final int NAME_CHARS = 36;
    /** Heads and sectors per track of the protective MBR's CHS fields (the conventional LBA geometry). */
    private static final int HEADS = 255;
    private static final int SECTORS_PER_TRACK = 63;

    /**
     * One partition.
     *
     * @param lastLba inclusive
     * @param attributes the 64 attribute bits (bits 48-63 are the type's own: Bottlerocket's boot priority)
     * @param name at most 36 UTF-16 code units; empty for none
     */
    record Entry(int number, UUID type, UUID guid, long firstLba, long lastLba, long attributes, String name) {}

    GuidPartitionTable {
        entries = List.copyOf(entries);
        if (diskSectors < FIRST_USABLE * 2 + 1) {
            throw new IllegalArgumentException("A disk of " + diskSectors + " sectors cannot hold a GPT");
        }
        long lastUsable = diskSectors - 2 - ENTRY_SECTORS;
        boolean[] used = new boolean[ENTRY_COUNT + 1];
        for (Entry e : entries) {
            if (e.number() < 1 || e.number() > ENTRY_COUNT || used[e.number()]) {
                throw new IllegalArgumentException("Partition number " + e.number() + " is out of range or repeated");
            }
            used[e.number()] = true;
            if (e.firstLba() < FIRST_USABLE || e.lastLba() < e.firstLba() || e.lastLba() > lastUsable) {
                throw new IllegalArgumentException("Partition " + e.number() + " (sectors " + e.firstLba() + "-"
                        + e.lastLba() + ") is outside the usable sectors " + FIRST_USABLE + "-" + lastUsable);
            }
            if (e.name().length() > NAME_CHARS) {
                throw new IllegalArgumentException("Partition " + e.number() + "'s name is longer than " + NAME_CHARS
                        + " characters: " + e.name());
            }
            for (Entry other : entries) {
                if (other != e && other.firstLba() <= e.lastLba() && e.firstLba() <= other.lastLba()) {
                    throw new IllegalArgumentException("Partitions " + e.number() + " and " + other.number() + " overlap");
                }
            }
        }
    }

    /** Sectors 0 to 33: the protective MBR, the primary header and the entries. */
    byte[] primary() {
        byte[] entryArray = entryArray();
        ByteBuffer out = ByteBuffer.allocate((int) FIRST_USABLE * SECTOR).order(ByteOrder.LITTLE_ENDIAN);
        out.put(protectiveMbr());
        out.put(header(1, diskSectors - 1, 2, entryArray));
        out.put(entryArray);
        return out.array();
    }

    /** The last 33 sectors: the entries again, then the backup header. */
    byte[] backup() {
        byte[] entryArray = entryArray();
        ByteBuffer out = ByteBuffer.allocate((ENTRY_SECTORS + 1) * SECTOR);
        out.put(entryArray);
        out.put(header(diskSectors - 1, 1, diskSectors - 1 - ENTRY_SECTORS, entryArray));
        return out.array();
    }

    /** The sector where {@link #backup()} goes. */
    long backupLba() {
        return diskSectors - 1 - ENTRY_SECTORS;
    }

    private byte[] protectiveMbr() {
        ByteBuffer mbr = ByteBuffer.allocate(SECTOR).order(ByteOrder.LITTLE_ENDIAN);
        int entry = 446;
        mbr.put(entry + 1, chs(1));
        mbr.put(entry + 4, (byte) 0xee);
        mbr.put(entry + 5, chs(diskSectors - 1));
        mbr.putInt(entry + 8, 1);
        mbr.putInt(entry + 12, (int) Math.min(diskSectors - 1, 0xffffffffL));
        mbr.put(510, (byte) 0x55);
        mbr.put(511, (byte) 0xaa);
        return mbr.array();
    }

    /** The CHS address of an LBA, all ones beyond cylinder 1023 (what partitioning tools write). */
    static byte[] chs(long lba) {
        long cylinder = lba / (HEADS * SECTORS_PER_TRACK);
        if (cylinder > 1023) {
            return new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff};
        }
        long head = lba / SECTORS_PER_TRACK % HEADS;
        long sector = lba % SECTORS_PER_TRACK + 1;
        return new byte[] {(byte) head, (byte) (sector | (cylinder >> 8) << 6), (byte) cylinder};
    }

    private byte[] header(long currentLba, long otherLba, long entriesLba, byte[] entryArray) {
        ByteBuffer h = ByteBuffer.allocate(SECTOR).order(ByteOrder.LITTLE_ENDIAN);
        h.put("EFI PART".getBytes(StandardCharsets.US_ASCII));
        h.putInt(0x00010000);
        h.putInt(HEADER_SIZE);
        h.putInt(0); // CRC, below
        h.putInt(0);
        h.putLong(currentLba);
        h.putLong(otherLba);
        h.putLong(FIRST_USABLE);
        h.putLong(diskSectors - 2 - ENTRY_SECTORS);
        h.put(guidBytes(diskGuid));
        h.putLong(entriesLba);
        h.putInt(ENTRY_COUNT);
        h.putInt(ENTRY_SIZE);
        h.putInt((int) crc32(entryArray, 0, entryArray.length));
        byte[] bytes = h.array();
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).putInt(16, (int) crc32(bytes, 0, HEADER_SIZE));
        return bytes;
    }

    private byte[] entryArray() {
        ByteBuffer array = ByteBuffer.allocate(ENTRY_COUNT * ENTRY_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        for (Entry e : entries) {
            int at = (e.number() - 1) * ENTRY_SIZE;
            array.put(at, guidBytes(e.type()));
            array.put(at + 16, guidBytes(e.guid()));
            array.putLong(at + 32, e.firstLba());
            array.putLong(at + 40, e.lastLba());
            array.putLong(at + 48, e.attributes());
            array.put(at + 56, e.name().getBytes(StandardCharsets.UTF_16LE));
        }
        return array.array();
    }

    /** A GUID as GPT stores it: the first three fields little-endian, the last two as written. */
    static byte[] guidBytes(UUID guid) {
        ByteBuffer b = ByteBuffer.allocate(16);
        long high = guid.getMostSignificantBits();
        b.order(ByteOrder.LITTLE_ENDIAN).putInt((int) (high >>> 32)).putShort((short) (high >>> 16)).putShort((short) high);
        b.order(ByteOrder.BIG_ENDIAN).putLong(guid.getLeastSignificantBits());
        return b.array();
    }

    private static long crc32(byte[] bytes, int offset, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, offset, length);
        return crc.getValue();
    }
}
