package dev.twoliter.engine.image;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.stream.IntStream;

/**
 * GRUB's BIOS boot code, installed into a GPT disk image file the way {@code grub-bios-setup --no-rs-codes}
 * installs it when core.img is embedded in a BIOS boot partition. Debian's grub-bios-setup only accepts a
 * disk it can match to the mounted root (Bottlerocket carries a {@code --root} patch for this); the
 * embedding itself is a few fixed-offset patches, so doing them here needs neither a loop device nor a
 * patched GRUB.
 *
 * <p>Only that one path is reproduced: a whole hard disk (never a floppy), a GPT label, a BIOS boot
 * partition large enough for core.img, and no Reed-Solomon codes. Offsets are GRUB 2.06's
 * ({@code include/grub/i386/pc/boot.h}, {@code grub-core/boot/i386/pc/diskboot.S}).
 */
final class BiosBootCode {
    static final int SECTOR = 512;

    /** The BIOS boot partition type as it is stored on disk. */
    static final String BIOS_BOOT_TYPE = "21686148-6449-6E6F-744E-656564454649";

    /**
     * boot.img has room for a FAT BIOS parameter block; grub-bios-setup keeps whatever the disk has there
     * so that a disk that happens to be a FAT volume stays one.
     */
    static final int BPB_START = 0x03;
    static final int BPB_END = 0x5a;
    /** Where boot.img finds core.img's first sector. */
    static final int KERNEL_SECTOR = 0x5c;
    /** 0xff tells boot.img to read core.img from the drive the BIOS booted. */
    static final int BOOT_DRIVE = 0x64;
    /**
     * A jump that skips boot.img's fix-up for BIOSes that pass a floppy drive number when booting a hard
     * disk; grub-bios-setup turns the jump into two NOPs for hard disks, which enables the fix-up.
     */
    static final int DRIVE_CHECK = 0x66;
    /** The disk signature and the MBR partition table (here the protective entry) stay the disk's own. */
    static final int NT_MAGIC = 0x1b8;
    static final int MBR_PARTITIONS = 0x1be;
    static final int PART_END = 0x1fe;

    /**
     * diskboot.img (core.img's first sector) ends in a list of {start sector (u64), sector count (u16),
     * load segment (u16)} entries that grows down from the end of the sector; a zero count ends it.
     */
    static final int BLOCKLIST_ENTRY = 12;
    static final int FIRST_BLOCKLIST = SECTOR - BLOCKLIST_ENTRY;
    /** diskboot.img itself is loaded at 0x8000; the rest of core.img follows it at 0x8200. */
    static final int CORE_SEGMENT = 0x800 + (SECTOR >> 4);
    /**
     * The kernel header field that is 0xffff only in a core.img made for a different grub-bios-setup; GRUB
     * refuses such an image, and so do we.
     */
    static final int NO_REED_SOLOMON_LENGTH = SECTOR + 0x14;
    /** GRUB embeds no more than this, so that a loaded core.img stays below 0x78000. */
    static final int MAX_CORE_SECTORS = (0x78000 - 0x9000) / SECTOR;

    private BiosBootCode() {}

    /**
     * @param mbr the new first sector of the disk
     * @param core core.img padded to whole sectors, to be written at the BIOS boot partition's start
     */
    record Result(byte[] mbr, byte[] core) {}

    /** Where the BIOS boot partition is, in sectors. */
    record Partition(long firstLba, long sectors) {}

    /**
     * Patches boot.img and core.img for a core.img written at {@code coreLba}.
     *
     * @param existingMbr the disk's current first sector, whose parameter block and partition table survive
     * @param partitionSectors the BIOS boot partition's size, which core.img must fit into
     */
    static Result setUp(byte[] bootImg, byte[] coreImg, byte[] existingMbr, long coreLba, long partitionSectors) {
        require(bootImg.length == SECTOR, "boot.img must be " + SECTOR + " bytes, not " + bootImg.length);
        require(existingMbr.length == SECTOR,
                "the existing first sector must be " + SECTOR + " bytes, not " + existingMbr.length);
        require(coreImg.length >= NO_REED_SOLOMON_LENGTH + 2,
                "core.img is too small to be a GRUB core image: " + coreImg.length + " bytes");
        require(coreLba > 0, "core.img cannot go at LBA " + coreLba + ": sector 0 holds boot.img");
        // grub-mkimage does not pad core.img to whole sectors; grub-bios-setup fills the last one with zeros.
        long coreSectors = (coreImg.length + SECTOR - 1L) / SECTOR;
        require(coreSectors <= MAX_CORE_SECTORS, "core.img is " + coreSectors
                + " sectors; GRUB's BIOS boot code loads at most " + MAX_CORE_SECTORS);
        require(partitionSectors >= coreSectors, "the BIOS boot partition has " + partitionSectors
                + " sectors but core.img needs " + coreSectors);
        ByteBuffer coreBuffer = ByteBuffer.wrap(Arrays.copyOf(coreImg, Math.toIntExact(coreSectors * SECTOR)))
                .order(ByteOrder.LITTLE_ENDIAN);
        require(Short.toUnsignedInt(coreBuffer.getShort(NO_REED_SOLOMON_LENGTH)) != 0xffff,
                "core.img was made for a different GRUB version (no-Reed-Solomon length is 0xffff)");

        byte[] mbr = bootImg.clone();
        System.arraycopy(existingMbr, BPB_START, mbr, BPB_START, BPB_END - BPB_START);
        mbr[DRIVE_CHECK] = (byte) 0x90;
        mbr[DRIVE_CHECK + 1] = (byte) 0x90;
        System.arraycopy(existingMbr, NT_MAGIC, mbr, NT_MAGIC, PART_END - NT_MAGIC);
        ByteBuffer mbrBuffer = ByteBuffer.wrap(mbr).order(ByteOrder.LITTLE_ENDIAN);
        mbrBuffer.put(BOOT_DRIVE, (byte) 0xff);
        mbrBuffer.putLong(KERNEL_SECTOR, coreLba);

        // Drop the blocklist grub-mkimage left (it assumes core.img starts at LBA 1), then describe the
        // embedded copy: one contiguous run after the first sector, which boot.img loads itself.
        for (int at = FIRST_BLOCKLIST; coreBuffer.getShort(at + 8) != 0; at -= BLOCKLIST_ENTRY) {
            require(at - BLOCKLIST_ENTRY > 0, "core.img's blocklist has no terminator");
            coreBuffer.put(at, new byte[BLOCKLIST_ENTRY]);
        }
        coreBuffer.putLong(FIRST_BLOCKLIST, coreLba + 1);
        coreBuffer.putShort(FIRST_BLOCKLIST + 8, (short) (coreSectors - 1));
        coreBuffer.putShort(FIRST_BLOCKLIST + 10, (short) CORE_SEGMENT);
        coreBuffer.put(FIRST_BLOCKLIST - BLOCKLIST_ENTRY, new byte[BLOCKLIST_ENTRY]);
        return new Result(mbr, coreBuffer.array());
    }

    /**
     * Installs boot.img and core.img into a raw disk image: core.img at the start of the first BIOS boot
     * partition of the primary GPT (the one GRUB would pick), boot.img in sector 0.
     */
    static void install(Path disk, byte[] bootImg, byte[] coreImg) throws IOException {
        try (FileChannel channel = FileChannel.open(disk, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            Partition partition = biosBootPartition(channel, disk);
            Result result;
            try {
                result = setUp(bootImg, coreImg, read(channel, 0, SECTOR), partition.firstLba(),
                        partition.sectors());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(disk + ": " + e.getMessage(), e);
            }
            write(channel, partition.firstLba() * SECTOR, result.core());
            write(channel, 0, result.mbr());
        }
    }

    /**
     * The first BIOS boot partition in the primary GPT. Like GRUB, this trusts the header without checking
     * its CRCs: the disk was laid out moments ago by the plugin ({@link GuidPartitionTable}).
     */
    static Partition biosBootPartition(FileChannel channel, Path disk) throws IOException {
        long diskSectors = channel.size() / SECTOR;
        require(diskSectors >= 2, disk + " has no GPT: it is smaller than two sectors");
        ByteBuffer mbr = ByteBuffer.wrap(read(channel, 0, SECTOR)).order(ByteOrder.LITTLE_ENDIAN);
        boolean protective = mbr.getShort(PART_END) == (short) 0xaa55
                && IntStream.range(0, 4).anyMatch(entry -> mbr.get(MBR_PARTITIONS + entry * 16 + 4) == (byte) 0xee);
        require(protective, disk + " has no GPT: sector 0 is not a protective MBR");
        ByteBuffer header = ByteBuffer.wrap(read(channel, SECTOR, SECTOR)).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[8];
        header.get(0, magic);
        require(Arrays.equals(magic, "EFI PART".getBytes(StandardCharsets.US_ASCII)),
                disk + " has no GPT: LBA 1 does not start with \"EFI PART\"");
        long entriesLba = header.getLong(72);
        long entryCount = Integer.toUnsignedLong(header.getInt(80));
        long entrySize = Integer.toUnsignedLong(header.getInt(84));
        require(entrySize >= 128, disk + " has a malformed GPT: partition entries of " + entrySize + " bytes");
        require(entriesLba >= 2 && entriesLba < diskSectors
                        && entryCount <= (diskSectors - entriesLba) * SECTOR / entrySize,
                disk + " has a malformed GPT: " + entryCount + " entries at LBA " + entriesLba
                        + " do not fit in the disk");
        byte[] type = guidBytes(BIOS_BOOT_TYPE);
        byte[] entryType = new byte[16];
        for (long i = 0; i < entryCount; i++) {
            ByteBuffer entry = ByteBuffer.wrap(read(channel, entriesLba * SECTOR + i * entrySize, 48))
                    .order(ByteOrder.LITTLE_ENDIAN);
            entry.get(0, entryType);
            if (!Arrays.equals(entryType, type)) {
                continue;
            }
            long first = entry.getLong(32);
            long last = entry.getLong(40);
            require(first > 0 && last >= first && last < diskSectors, disk + ": the BIOS boot partition (LBA "
                    + Long.toUnsignedString(first) + " to " + Long.toUnsignedString(last)
                    + ") does not lie within the disk's " + diskSectors + " sectors");
            return new Partition(first, last - first + 1);
        }
        throw new IllegalArgumentException(disk + " has no BIOS boot partition (type " + BIOS_BOOT_TYPE + ")");
    }

    /** GPT stores a GUID's first three fields little-endian and the last two as written. */
    static byte[] guidBytes(String guid) {
        byte[] text = HexFormat.of().parseHex(guid.replace("-", ""));
        byte[] stored = text.clone();
        for (int i = 0; i < 4; i++) {
            stored[i] = text[3 - i];
        }
        stored[4] = text[5];
        stored[5] = text[4];
        stored[6] = text[7];
        stored[7] = text[6];
        return stored;
    }

    private static byte[] read(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new EOFException("end of disk image at byte " + (position + buffer.position()));
            }
        }
        return buffer.array();
    }

    private static void write(FileChannel channel, long position, byte[] bytes) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        while (buffer.hasRemaining()) {
            channel.write(buffer, position + buffer.position());
        }
    }

    private static void require(boolean condition, String message) {
        if (!condition) {
            throw new IllegalArgumentException(message);
        }
    }
}
