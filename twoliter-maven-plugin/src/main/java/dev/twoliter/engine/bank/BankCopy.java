package dev.twoliter.engine.bank;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Writes a bank's partitions inside a raw disk image: from the other bank, or from an update's
 * payload files (already decompressed). The partitions are found by name in the image's GPT and
 * every write stays inside its partition. Writes are in place (the partitions are where the
 * firmware and GRUB look), so write a bank that is not the one that boots, then prepare the try
 * ({@link BankSwitch}): a write that fails half way leaves a bank nothing boots.
 *
 * <p>Disk images are mostly holes. A run of zeros is only written where the destination holds
 * data, so the holes of a fresh image stay holes (and cost neither disk space nor writes).
 */
public final class BankCopy {
    private static final int CHUNK = 1 << 20;

    private BankCopy() {}

    /** Copies BOOT, ROOT and HASH of {@code from} into the same partitions of {@code to}. */
    public static void copy(Path disk, Bank from, Bank to) throws IOException {
        if (from == to) {
            throw new IllegalArgumentException("A bank cannot be copied onto itself");
        }
        try (FileChannel channel = FileChannel.open(disk, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            List<DiskPartitions.Partition> partitions = DiskPartitions.read(channel);
            for (Bank.Part part : Bank.Part.values()) {
                DiskPartitions.Partition source = DiskPartitions.named(partitions, from.partitionLabel(part));
                DiskPartitions.Partition target = DiskPartitions.named(partitions, to.partitionLabel(part));
                if (source.length() > target.length()) {
                    throw new IOException(disk + ": " + source.name() + " (" + source.length() + " bytes) is larger than "
                            + target.name() + " (" + target.length() + " bytes)");
                }
                fill(channel, channel, source.offset(), source.length(), target);
            }
            channel.force(false);
        }
    }

    /**
     * Writes a raw filesystem (or hash tree) image into one partition of a bank, and zeros the rest
     * of the partition. Refuses a file larger than the partition before writing anything.
     */
    public static void writePartition(Path disk, Bank bank, Bank.Part part, Path image) throws IOException {
        try (FileChannel channel = FileChannel.open(disk, StandardOpenOption.READ, StandardOpenOption.WRITE);
                FileChannel source = FileChannel.open(image, StandardOpenOption.READ)) {
            if (Files.isSameFile(disk, image)) {
                throw new IllegalArgumentException("The image to write is the disk itself");
            }
            DiskPartitions.Partition target = DiskPartitions.named(DiskPartitions.read(channel), bank.partitionLabel(part));
            long length = source.size();
            if (length > target.length()) {
                throw new IOException(image + " (" + length + " bytes) is larger than " + target.name() + " ("
                        + target.length() + " bytes)");
            }
            fill(channel, source, 0, length, target);
            channel.force(false);
        }
    }

    /**
     * Makes {@code target} hold {@code length} bytes of {@code from} at {@code fromOffset}, then zeros.
     * The caller has checked that the length fits; the target's bounds come from the checked GPT.
     */
    private static void fill(FileChannel disk, FileChannel from, long fromOffset, long length,
            DiskPartitions.Partition target) throws IOException {
        ByteBuffer data = ByteBuffer.allocate(CHUNK);
        ByteBuffer existing = ByteBuffer.allocate(CHUNK);
        for (long at = 0; at < target.length(); at += CHUNK) {
            int n = (int) Math.min(CHUNK, target.length() - at);
            data.clear().limit(n);
            if (at < length) {
                int fromFile = (int) Math.min(n, length - at);
                data.limit(fromFile);
                read(from, data, fromOffset + at);
                data.limit(n);
            }
            while (data.hasRemaining()) {
                data.put((byte) 0); // past the source's end
            }
            data.flip();
            if (isZero(data)) {
                existing.clear().limit(n);
                read(disk, existing, target.offset() + at);
                if (isZero(existing.flip())) {
                    continue;
                }
            }
            while (data.hasRemaining()) {
                disk.write(data, target.offset() + at + data.position());
            }
        }
    }

    private static void read(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        long start = position - buffer.position();
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, start + buffer.position()) < 0) {
                throw new IOException("The file ends at byte " + (start + buffer.position()) + ", inside a partition");
            }
        }
    }

    private static boolean isZero(ByteBuffer buffer) {
        for (int i = buffer.position(); i < buffer.limit(); i++) {
            if (buffer.get(i) != 0) {
                return false;
            }
        }
        return true;
    }
}
