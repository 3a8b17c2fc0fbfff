package dev.twoliter.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;

class GuidPartitionTableTest {
    private static final UUID DISK = UUID.fromString("729670f3-6477-3b96-87d1-43af91f19900");
    private static final GuidPartitionTable.Entry BIOS = new GuidPartitionTable.Entry(1,
            UUID.fromString("21686148-6449-6E6F-744E-656564454649"), UUID.fromString("11111111-2222-3333-4444-555555555555"),
            2048, 10239, (1L << 48) | (1L << 56), "BIOS-BOOT");

    /**
     * The figures sgdisk 1.0.9 wrote for the same partition ({@code --new=1:2048:10239 --change-name=1:BIOS-BOOT
     * --typecode=... --partition-guid=... --attributes=1:set:48 --attributes=1:set:56}) on a 2 GiB file: the
     * CRCs cover every byte of the header and the entries.
     */
    @Test
    void aTableIsWhatSgdiskWritesForTheSamePartitions() {
        GuidPartitionTable table = new GuidPartitionTable(4194304, DISK, List.of(BIOS));
        byte[] primary = table.primary();
        assertThat(primary).hasSize(34 * 512);
        assertThat(HexFormat.of().formatHex(primary, 440, 462)).isEqualTo("000000000000" + "00000200ee155005" + "01000000ffff3f00");
        assertThat(primary[510]).isEqualTo((byte) 0x55);
        assertThat(primary[511]).isEqualTo((byte) 0xaa);
        ByteBuffer header = ByteBuffer.wrap(primary, 512, 512).slice().order(ByteOrder.LITTLE_ENDIAN);
        assertThat(Integer.toHexString(header.getInt(88))).as("entries CRC").isEqualTo("98ced472");
        assertThat(Integer.toHexString(header.getInt(16))).as("header CRC").isEqualTo("1615909");
        assertThat(header.getLong(32)).as("backup LBA").isEqualTo(4194303);
        assertThat(header.getLong(48)).as("last usable").isEqualTo(4194270);
        assertThat(HexFormat.of().formatHex(primary, 512 + 56, 512 + 72)).isEqualTo("f37096727764963b87d143af91f19900");
    }

    @Test
    void theBackupRepeatsTheEntriesAndPointsBack() {
        GuidPartitionTable table = new GuidPartitionTable(204800, DISK, List.of(BIOS));
        byte[] primary = table.primary();
        byte[] backup = table.backup();
        assertThat(table.backupLba()).isEqualTo(204800 - 33);
        assertThat(Arrays.copyOfRange(backup, 0, 32 * 512)).isEqualTo(Arrays.copyOfRange(primary, 2 * 512, 34 * 512));
        ByteBuffer header = ByteBuffer.wrap(backup, 32 * 512, 512).slice().order(ByteOrder.LITTLE_ENDIAN);
        assertThat(header.getLong(24)).as("current").isEqualTo(204799);
        assertThat(header.getLong(32)).as("other").isEqualTo(1);
        assertThat(header.getLong(72)).as("entries").isEqualTo(204799 - 32);
        byte[] zeroedCrc = Arrays.copyOfRange(backup, 32 * 512, 32 * 512 + 92);
        Arrays.fill(zeroedCrc, 16, 20, (byte) 0);
        CRC32 crc = new CRC32();
        crc.update(zeroedCrc);
        assertThat(header.getInt(16)).isEqualTo((int) crc.getValue());
    }

    @Test
    void cylindersBeyond1023AreAllOnes() {
        assertThat(GuidPartitionTable.chs(1)).containsExactly(0, 2, 0);
        assertThat(GuidPartitionTable.chs(204799)).containsExactly(0xbe, 0x32, 0x0c);
        assertThat(GuidPartitionTable.chs(20971519)).containsExactly(0xff, 0xff, 0xff);
    }

    @Test
    void impossibleTablesAreRefused() {
        assertThatThrownBy(() -> new GuidPartitionTable(4194304, DISK, List.of(BIOS, new GuidPartitionTable.Entry(2,
                BIOS.type(), BIOS.guid(), 10000, 20000, 0, "")))).hasMessageContaining("overlap");
        assertThatThrownBy(() -> new GuidPartitionTable(4194304, DISK, List.of(new GuidPartitionTable.Entry(1,
                BIOS.type(), BIOS.guid(), 2048, 4194300, 0, "")))).hasMessageContaining("outside the usable sectors 34-4194270");
        assertThatThrownBy(() -> new GuidPartitionTable(4194304, DISK, List.of(new GuidPartitionTable.Entry(1,
                BIOS.type(), BIOS.guid(), 2048, 4096, 0, "x".repeat(37))))).hasMessageContaining("longer than 36");
        assertThatThrownBy(() -> new GuidPartitionTable(4194304, DISK, List.of(BIOS, BIOS))).hasMessageContaining("repeated");
    }
}
