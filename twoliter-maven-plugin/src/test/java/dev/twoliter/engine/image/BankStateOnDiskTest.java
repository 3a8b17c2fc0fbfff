package dev.twoliter.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.bank.Bank;
import dev.twoliter.engine.bank.BankCopy;
import dev.twoliter.engine.bank.BankState;
import dev.twoliter.engine.bank.BankSwitch;
import dev.twoliter.engine.bank.GrubEnvironmentBlock;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bank tools on a small disk image written the way the plugin writes one: its GPT by
 * {@link GuidPartitionTable}, the A/B state somewhere inside a (fake) EFI system partition.
 */
class BankStateOnDiskTest {
    private static final long MIB = 1 << 20;
    private static final String[] NAMES = {"EFI-SYSTEM", "BOTTLEROCKET-BOOT-A", "BOTTLEROCKET-ROOT-A",
            "BOTTLEROCKET-HASH-A", "BOTTLEROCKET-BOOT-B", "BOTTLEROCKET-ROOT-B", "BOTTLEROCKET-HASH-B"};
    /** Where the block sits inside the fake FAT: a cluster's start, 512-aligned. */
    private static final long BLOCK_IN_ESP = 9 * 512;

    @TempDir
    Path dir;

    /** A 10 MiB disk, partition i+1 = NAMES[i] at MiB i+1 with {@code sizesMib[i]} MiB. */
    private Path disk(long... sizesMib) throws IOException {
        List<GuidPartitionTable.Entry> entries = new ArrayList<>();
        long start = 1;
        for (int i = 0; i < NAMES.length; i++) {
            long size = sizesMib.length > 0 ? sizesMib[i] : 1;
            entries.add(new GuidPartitionTable.Entry(i + 1, UUID.fromString(PartitionPlan.TYPE_ROOT),
                    UUID.nameUUIDFromBytes(NAMES[i].getBytes(StandardCharsets.UTF_8)), start * 2048,
                    (start + size) * 2048 - 1, 0, NAMES[i]));
            start += size;
        }
        GuidPartitionTable table = new GuidPartitionTable(10 * 2048, UUID.nameUUIDFromBytes(new byte[1]), entries);
        Path disk = dir.resolve("disk.img");
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.setLength(10 * MIB);
            f.write(table.primary());
            f.seek(table.backupLba() * 512);
            f.write(table.backup());
            // A decoy: the header's text at a sector start, as inside GRUB's binary, but not a block.
            f.seek(MIB + 512);
            f.write("# GRUB Environment Block\n\0\0\u0001binary".getBytes(StandardCharsets.ISO_8859_1));
            f.seek(MIB + BLOCK_IN_ESP);
            f.write(BankState.initialBlock().render());
        }
        return disk;
    }

    private static void write(Path disk, long offset, byte[] bytes) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "rw")) {
            f.seek(offset);
            f.write(bytes);
        }
    }

    private static byte[] read(Path disk, long offset, int length) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(disk.toFile(), "r")) {
            byte[] bytes = new byte[length];
            f.seek(offset);
            f.readFully(bytes);
            return bytes;
        }
    }

    @Test
    void findsTheBlockOnTheEspAndReadsTheInitialState() throws IOException {
        BankState state = BankState.read(disk());
        assertThat(state.offset()).isEqualTo(MIB + BLOCK_IN_ESP);
        assertThat(state.confirmed()).isEqualTo(Bank.A);
        assertThat(state.pendingTry()).isEmpty();
        assertThat(state.fellBackFrom()).isEmpty();
    }

    @Test
    void prepareTryChangesOnlyTheBlocksBytes() throws IOException {
        Path disk = disk();
        write(disk, MIB + BLOCK_IN_ESP, BankState.initialBlock().with(BankState.FALLBACK, "B").render());
        byte[] before = Files.readAllBytes(disk);
        BankState state = BankSwitch.prepareTry(disk, Bank.B);
        byte[] after = Files.readAllBytes(disk);
        assertThat(state.pendingTry()).contains(Bank.B);
        assertThat(BankState.read(disk).variables()).containsExactly(java.util.Map.entry("twoliter_bank", "A"),
                java.util.Map.entry("twoliter_try", "B"), java.util.Map.entry("twoliter_tries", "1"),
                java.util.Map.entry("twoliter_fallback", ""));
        int block = (int) (MIB + BLOCK_IN_ESP);
        assertThat(Arrays.copyOfRange(after, 0, block)).isEqualTo(Arrays.copyOfRange(before, 0, block));
        assertThat(Arrays.copyOfRange(after, block + 1024, after.length))
                .isEqualTo(Arrays.copyOfRange(before, block + 1024, before.length));
    }

    @Test
    void garbledValuesMeanBankAAsInGrub() throws IOException {
        Path disk = disk();
        write(disk, MIB + BLOCK_IN_ESP, BankState.initialBlock().with(BankState.BANK, "b")
                .with(BankState.TRY, "B").with(BankState.TRIES, "2").render());
        BankState state = BankState.read(disk);
        assertThat(state.confirmed()).isEqualTo(Bank.A);
        assertThat(state.pendingTry()).isEmpty();
    }

    @Test
    void refusesADiskWithoutOrWithTwoBlocks() throws IOException {
        Path none = disk();
        write(none, MIB + BLOCK_IN_ESP, new byte[1024]);
        assertThatThrownBy(() -> BankState.read(none)).hasMessageContaining("no GRUB environment block");
        Path two = disk();
        write(two, MIB + 512 * 64, BankState.initialBlock().render());
        assertThatThrownBy(() -> BankState.read(two)).hasMessageContaining("two GRUB environment blocks");
    }

    @Test
    void refusesToOverwriteAStateSomeoneElseChanged() throws IOException {
        Path disk = disk();
        BankState state = BankState.read(disk);
        BankSwitch.prepareTry(disk, Bank.B);
        assertThatThrownBy(() -> state.write(state.block().with(BankState.TRY, "A")))
                .hasMessageContaining("changed since it was read");
    }

    @Test
    void refusesADamagedOrLyingPartitionTable() throws IOException {
        Path crc = disk();
        write(crc, 512 + 40, new byte[] {1}); // the first usable sector, covered by the header's CRC
        assertThatThrownBy(() -> BankState.read(crc)).hasMessageContaining("CRC");
        Path entries = disk();
        write(entries, 1024 + 32, new byte[] {9}); // an entry's first sector: the array's CRC
        assertThatThrownBy(() -> BankState.read(entries)).hasMessageContaining("CRC");
        Path truncated = disk();
        try (RandomAccessFile f = new RandomAccessFile(truncated.toFile(), "rw")) {
            f.setLength(5 * MIB); // the partitions claim more than the file has
        }
        assertThatThrownBy(() -> BankState.read(truncated)).isInstanceOf(IOException.class);
        Path noGpt = dir.resolve("zeros.img");
        Files.write(noGpt, new byte[4096]);
        assertThatThrownBy(() -> BankState.read(noGpt)).hasMessageContaining("no GPT");
    }

    @Test
    void copiesBankAOntoBankBWholeZerosIncluded() throws IOException {
        Path disk = disk();
        Random random = new Random(7);
        byte[] bootA = new byte[300_000];
        random.nextBytes(bootA);
        write(disk, 2 * MIB, bootA);
        write(disk, 3 * MIB + MIB - 3, new byte[] {1, 2, 3}); // ROOT-A's last bytes
        write(disk, 5 * MIB + 500_000, new byte[] {7, 7, 7}); // old data in BOOT-B, beyond what A has
        BankCopy.copy(disk, Bank.A, Bank.B);
        for (int part = 0; part < 3; part++) {
            assertThat(read(disk, (5 + part) * MIB, (int) MIB)).as(NAMES[4 + part])
                    .isEqualTo(read(disk, (2 + part) * MIB, (int) MIB));
        }
        assertThat(BankState.read(disk).confirmed()).isEqualTo(Bank.A); // the ESP is not a bank's
    }

    @Test
    void copyRefusesABankLargerThanItsTarget() throws IOException {
        Path disk = disk(1, 1, 2, 1, 1, 1, 1);
        byte[] before = Files.readAllBytes(disk);
        assertThatThrownBy(() -> BankCopy.copy(disk, Bank.A, Bank.B))
                .hasMessageContaining("BOTTLEROCKET-ROOT-A (2097152 bytes) is larger than BOTTLEROCKET-ROOT-B");
        assertThatThrownBy(() -> BankCopy.copy(disk, Bank.A, Bank.A)).isInstanceOf(IllegalArgumentException.class);
        // BOOT was checked and copied before ROOT was refused; nothing outside bank B changed.
        byte[] after = Files.readAllBytes(disk);
        assertThat(Arrays.copyOfRange(after, 0, (int) (6 * MIB))).isEqualTo(Arrays.copyOfRange(before, 0, (int) (6 * MIB)));
    }

    @Test
    void writesAPayloadIntoOnePartitionAndZerosTheRest() throws IOException {
        Path disk = disk();
        write(disk, 6 * MIB + 900_000, new byte[] {5}); // old data in ROOT-B
        Path payload = Files.write(dir.resolve("root.ext4"), "new root".getBytes(StandardCharsets.US_ASCII));
        BankCopy.writePartition(disk, Bank.B, Bank.Part.ROOT, payload);
        byte[] expected = Arrays.copyOf("new root".getBytes(StandardCharsets.US_ASCII), (int) MIB);
        assertThat(read(disk, 6 * MIB, (int) MIB)).isEqualTo(expected);

        Path tooLarge = dir.resolve("big");
        try (RandomAccessFile f = new RandomAccessFile(tooLarge.toFile(), "rw")) {
            f.setLength(MIB + 1);
        }
        byte[] before = Files.readAllBytes(disk);
        assertThatThrownBy(() -> BankCopy.writePartition(disk, Bank.B, Bank.Part.HASH, tooLarge))
                .hasMessageContaining("is larger than BOTTLEROCKET-HASH-B");
        assertThat(Files.readAllBytes(disk)).isEqualTo(before);
        assertThatThrownBy(() -> BankCopy.writePartition(disk, Bank.B, Bank.Part.HASH, disk))
                .hasMessageContaining("the disk itself");
    }

    @Test
    void theBlockIsFoundWhereverTheFatPutsIt() throws IOException {
        Path disk = disk();
        write(disk, MIB + BLOCK_IN_ESP, new byte[1024]);
        long last = 2 * MIB - 1024; // the ESP's last two sectors
        write(disk, last, BankState.initialBlock().with(BankState.BANK, "B").render());
        BankState state = BankState.read(disk);
        assertThat(state.offset()).isEqualTo(last);
        assertThat(state.confirmed()).isEqualTo(Bank.B);
        assertThat(GrubEnvironmentBlock.SIZE).isEqualTo(1024);
    }
}
