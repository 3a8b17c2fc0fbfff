package dev.twoliter.engine.bank;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The A/B state of a raw disk image: the GRUB environment block that GRUB's first stage reads, found
 * inside the image file without mounting anything (see docs/booting.md, "A/B banks: one try and
 * rollback"). The block is a file on the EFI system partition, but GRUB reads and writes its sectors
 * in place, so it is found the same way the OS finds it: the one 512-byte-aligned run of 1024 bytes
 * on that partition that is a valid environment block.
 */
public final class BankState {
    public static final String ESP_NAME = "EFI-SYSTEM";
    /** The confirmed bank: what boots when no try is pending. */
    public static final String BANK = "twoliter_bank";
    /** A bank to boot once. */
    public static final String TRY = "twoliter_try";
    /** "1" while the try has not started; GRUB sets "0" before it boots the try. */
    public static final String TRIES = "twoliter_tries";
    /** The bank whose last try failed, set by GRUB when it falls back. */
    public static final String FALLBACK = "twoliter_fallback";
    /** The partition is scanned this far at most; the plugin's EFI system partitions have 5 or 10 MiB. */
    static final long SCAN_LIMIT = 256L << 20;
    private static final int CHUNK = 1 << 20;

    private final Path disk;
    private final long offset;
    private final GrubEnvironmentBlock block;
    /** The block's bytes as read or written, to notice a writer in between. */
    private final byte[] raw;

    private BankState(Path disk, long offset, GrubEnvironmentBlock block, byte[] raw) {
        this.disk = disk;
        this.offset = offset;
        this.block = block;
        this.raw = raw.clone();
    }

    /**
     * The block an image is built with: bank A confirmed, no try. Every variable is there from the
     * start, so that nothing that changes the state ever has to add a line. The bytes are fixed:
     * images stay reproducible.
     */
    public static GrubEnvironmentBlock initialBlock() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put(BANK, "A");
        v.put(TRY, "");
        v.put(TRIES, "");
        v.put(FALLBACK, "");
        return new GrubEnvironmentBlock(v);
    }

    public static BankState read(Path disk) throws IOException {
        try (FileChannel channel = FileChannel.open(disk, StandardOpenOption.READ)) {
            DiskPartitions.Partition esp = DiskPartitions.named(DiskPartitions.read(channel), ESP_NAME);
            long found = -1;
            GrubEnvironmentBlock block = null;
            byte[] raw = null;
            long limit = Math.min(esp.length(), SCAN_LIMIT);
            for (long chunk = 0; chunk < limit; chunk += CHUNK) {
                // A chunk overlaps the next by one block, so that a block across the boundary is seen.
                int length = (int) Math.min(CHUNK + GrubEnvironmentBlock.SIZE, esp.length() - chunk);
                byte[] bytes = DiskPartitions.readFully(channel, esp.offset() + chunk, length).array();
                for (int at = 0; at < Math.min(CHUNK, length); at += DiskPartitions.SECTOR) {
                    if (!GrubEnvironmentBlock.startsWithHeader(bytes, at) || at + GrubEnvironmentBlock.SIZE > length) {
                        continue;
                    }
                    byte[] candidateBytes = Arrays.copyOfRange(bytes, at, at + GrubEnvironmentBlock.SIZE);
                    GrubEnvironmentBlock candidate;
                    try {
                        candidate = GrubEnvironmentBlock.parse(candidateBytes);
                    } catch (IllegalArgumentException notABlock) {
                        continue; // the header's text elsewhere, in GRUB's own binary for one
                    }
                    if (block != null) {
                        throw new IOException(disk + ": the EFI system partition holds two GRUB environment blocks"
                                + " (at bytes " + found + " and " + (chunk + at) + " of it); which one GRUB reads is unknown");
                    }
                    found = chunk + at;
                    block = candidate;
                    raw = candidateBytes;
                }
            }
            if (block == null) {
                throw new IOException(disk + ": no GRUB environment block on the EFI system partition; is this an image"
                        + " with A/B banks booted by GRUB?");
            }
            return new BankState(disk, esp.offset() + found, block, raw);
        }
    }

    /** Where the block starts in the disk image, in bytes. */
    public long offset() {
        return offset;
    }

    public GrubEnvironmentBlock block() {
        return block;
    }

    /** The confirmed bank; an unreadable value means A, as in GRUB's first stage. */
    public Bank confirmed() {
        return Bank.parse(block.variables().get(BANK)).orElse(Bank.A);
    }

    /** The bank the next boot tries, if a try is pending and has not started. */
    public Optional<Bank> pendingTry() {
        return "1".equals(block.variables().get(TRIES)) ? Bank.parse(block.variables().get(TRY)) : Optional.empty();
    }

    /** The bank whose last try failed, if GRUB recorded one. */
    public Optional<Bank> fellBackFrom() {
        return Bank.parse(block.variables().get(FALLBACK));
    }

    /**
     * Writes a new block over this one, in place: GRUB reads the sectors the file was given when the
     * image was built, so the block cannot move (and a copy-and-rename of a whole disk image for one
     * KiB would be out of proportion). The sectors are read again first: if they changed since
     * {@link #read}, someone else wrote the state, and this write is refused rather than undo theirs.
     */
    public BankState write(GrubEnvironmentBlock next) throws IOException {
        byte[] bytes = next.render();
        try (FileChannel channel = FileChannel.open(disk, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            byte[] now = DiskPartitions.readFully(channel, offset, GrubEnvironmentBlock.SIZE).array();
            if (!Arrays.equals(now, raw)) {
                throw new IOException(disk + ": the GRUB environment block changed since it was read; not overwriting it");
            }
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer, offset + buffer.position());
            }
            channel.force(false);
        }
        return new BankState(disk, offset, next, bytes);
    }

    /** For tests and reports: the variables as read. */
    public Map<String, String> variables() {
        return block.variables();
    }

    @Override
    public String toString() {
        return "BankState" + List.of(BANK + "=" + block.variables().get(BANK), TRY + "=" + block.variables().get(TRY),
                TRIES + "=" + block.variables().get(TRIES), FALLBACK + "=" + block.variables().get(FALLBACK));
    }
}
