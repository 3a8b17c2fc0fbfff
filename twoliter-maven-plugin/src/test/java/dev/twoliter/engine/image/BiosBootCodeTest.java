package dev.twoliter.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Synthetic images only. The same code was checked against Debian's GRUB 2.06 grub-bios-setup
 * {@code --no-rs-codes} on sgdisk-made disks with real boot.img and grub-mkimage core.img files: the
 * whole disk image came out byte-identical.
 */
class BiosBootCodeTest {
    private static final int SECTOR = 512;
    private static final long LBA = 0x0102_0304_0506_0708L;

    @TempDir
    Path dir;

    @Test
    void bootImgKeepsTheDisksParameterBlockAndPartitionTableAndPointsAtCoreImg() {
        byte[] boot = bootImg();
        byte[] existing = protectiveMbr();
        BiosBootCode.Result result = BiosBootCode.setUp(boot, coreImg(4 * SECTOR), existing, LBA, 8);

        byte[] mbr = result.mbr();
        assertThat(mbr).hasSize(SECTOR);
        for (int i = 0; i < SECTOR; i++) {
            byte expected;
            if (i >= 0x03 && i < 0x5a || i >= 0x1b8 && i < 0x1fe) {
                expected = existing[i];
            } else if (i >= 0x5c && i < 0x64) {
                expected = (byte) (LBA >>> (8 * (i - 0x5c)));
            } else if (i == 0x64) {
                expected = (byte) 0xff;
            } else if (i == 0x66 || i == 0x67) {
                expected = (byte) 0x90;
            } else {
                expected = boot[i];
            }
            assertThat(mbr[i]).as("byte 0x%x", i).isEqualTo(expected);
        }
        assertThat(le(mbr).getLong(0x5c)).isEqualTo(LBA);
        assertThat(Arrays.copyOfRange(mbr, 0x1fe, 0x200)).containsExactly(0x55, 0xaa);
    }

    @Test
    void coreImgGetsOneBlocklistEntryForEverythingAfterItsFirstSector() {
        byte[] core = coreImg(3 * SECTOR + 100);
        BiosBootCode.Result result = BiosBootCode.setUp(bootImg(), core, protectiveMbr(), LBA, 4);

        byte[] patched = result.core();
        assertThat(patched).as("padded to whole sectors").hasSize(4 * SECTOR);
        ByteBuffer entry = le(patched);
        assertThat(entry.getLong(SECTOR - 12)).isEqualTo(LBA + 1);
        assertThat(entry.getShort(SECTOR - 4)).isEqualTo((short) 3);
        assertThat(entry.getShort(SECTOR - 2)).isEqualTo((short) 0x820);
        assertThat(Arrays.copyOfRange(patched, SECTOR - 24, SECTOR - 12)).as("terminator").containsOnly(0);
        byte[] expected = Arrays.copyOf(core, 4 * SECTOR);
        System.arraycopy(patched, SECTOR - 24, expected, SECTOR - 24, 24);
        assertThat(patched).as("nothing else changes").isEqualTo(expected);
        assertThat(Arrays.copyOfRange(patched, core.length, patched.length)).containsOnly(0);
    }

    @Test
    void staleBlocklistEntriesAreCleared() {
        byte[] core = coreImg(4 * SECTOR);
        ByteBuffer buffer = le(core);
        for (int at = SECTOR - 24; at >= SECTOR - 36; at -= 12) {
            buffer.putLong(at, 77).putShort(at + 8, (short) 5).putShort(at + 10, (short) 0x1000);
        }
        buffer.put(SECTOR - 48, new byte[12]);
        byte[] patched = BiosBootCode.setUp(bootImg(), core, protectiveMbr(), LBA, 4).core();

        assertThat(Arrays.copyOfRange(patched, SECTOR - 48, SECTOR - 12)).containsOnly(0);
        assertThat(Arrays.copyOfRange(patched, 0, SECTOR - 48)).isEqualTo(Arrays.copyOfRange(core, 0, SECTOR - 48));
    }

    @Test
    void theEntryBelowTheNewOneIsAlwaysATerminator() {
        byte[] core = coreImg(4 * SECTOR);
        le(core).put(SECTOR - 12, new byte[12]).putLong(SECTOR - 24, 77).putShort(SECTOR - 14, (short) 0x1000);
        byte[] patched = BiosBootCode.setUp(bootImg(), core, protectiveMbr(), LBA, 4).core();

        assertThat(Arrays.copyOfRange(patched, SECTOR - 24, SECTOR - 12)).containsOnly(0);
        assertThat(le(patched).getShort(SECTOR - 4)).isEqualTo((short) 3);
    }

    @Test
    void setUpRefusesWhatGrubBiosSetupRefuses() {
        byte[] boot = bootImg();
        byte[] core = coreImg(4 * SECTOR);
        byte[] mbr = protectiveMbr();
        assertThatThrownBy(() -> BiosBootCode.setUp(new byte[511], core, mbr, 2048, 8))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("boot.img must be 512 bytes, not 511");
        assertThatThrownBy(() -> BiosBootCode.setUp(boot, core, new byte[1024], 2048, 8))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the existing first sector must be 512 bytes, not 1024");
        assertThatThrownBy(() -> BiosBootCode.setUp(boot, new byte[SECTOR], mbr, 2048, 8))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("core.img is too small to be a GRUB core image: 512 bytes");
        assertThatThrownBy(() -> BiosBootCode.setUp(boot, core, mbr, 0, 8))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("core.img cannot go at LBA 0: sector 0 holds boot.img");
        assertThatThrownBy(() -> BiosBootCode.setUp(boot, core, mbr, 2048, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the BIOS boot partition has 3 sectors but core.img needs 4");
        assertThatThrownBy(() -> BiosBootCode.setUp(boot, coreImg(888 * SECTOR + 1), mbr, 2048, 2048))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("core.img is 889 sectors; GRUB's BIOS boot code loads at most 888");

        byte[] foreign = coreImg(4 * SECTOR);
        le(foreign).putShort(SECTOR + 0x14, (short) 0xffff);
        assertThatThrownBy(() -> BiosBootCode.setUp(boot, foreign, mbr, 2048, 8))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("core.img was made for a different GRUB version (no-Reed-Solomon length is 0xffff)");

        byte[] endless = coreImg(4 * SECTOR);
        for (int at = SECTOR - 12; at >= 0; at -= 12) {
            le(endless).putShort(at + 8, (short) 1);
        }
        assertThatThrownBy(() -> BiosBootCode.setUp(boot, endless, mbr, 2048, 8))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("core.img's blocklist has no terminator");
    }

    @Test
    void installWritesCoreImgIntoTheBiosBootPartitionAndBootImgIntoSectorZero() throws Exception {
        for (int entrySize : new int[] {128, 256}) {
            byte[] before = disk(entrySize, 40, 47);
            Path disk = Files.write(dir.resolve("disk-" + entrySize + ".img"), before);
            byte[] boot = bootImg();
            byte[] core = coreImg(3 * SECTOR + 7);

            BiosBootCode.install(disk, boot, core);

            byte[] after = Files.readAllBytes(disk);
            BiosBootCode.Result expected =
                    BiosBootCode.setUp(boot, core, Arrays.copyOf(before, SECTOR), 40, 8);
            byte[] want = before.clone();
            System.arraycopy(expected.mbr(), 0, want, 0, SECTOR);
            System.arraycopy(expected.core(), 0, want, 40 * SECTOR, 4 * SECTOR);
            assertThat(after).as("entry size %d", entrySize).isEqualTo(want);
            assertThat(le(after).getLong(0x5c)).isEqualTo(40);
            assertThat(le(after).getLong(40 * SECTOR + SECTOR - 12)).isEqualTo(41);
        }
    }

    @Test
    void installRefusesDisksWithoutAUsableBiosBootPartition() throws Exception {
        byte[] noSignature = disk(128, 40, 47);
        noSignature[0x1fe] = 0;
        assertRefused(noSignature, " has no GPT: sector 0 is not a protective MBR");

        byte[] notProtective = disk(128, 40, 47);
        notProtective[0x1be + 4] = (byte) 0x83;
        assertRefused(notProtective, " has no GPT: sector 0 is not a protective MBR");

        byte[] noHeader = disk(128, 40, 47);
        noHeader[SECTOR] = 'X';
        assertRefused(noHeader, " has no GPT: LBA 1 does not start with \"EFI PART\"");

        byte[] noBiosBoot = disk(128, 40, 47);
        noBiosBoot[2 * SECTOR + 128] = 0x49;
        assertRefused(noBiosBoot, " has no BIOS boot partition (type 21686148-6449-6E6F-744E-656564454649)");

        assertRefused(disk(128, 40, 42), ": the BIOS boot partition has 3 sectors but core.img needs 4");
        assertRefused(disk(128, 40, 64),
                ": the BIOS boot partition (LBA 40 to 64) does not lie within the disk's 64 sectors");

        byte[] oddEntries = disk(128, 40, 47);
        le(oddEntries).putInt(SECTOR + 84, 64);
        assertRefused(oddEntries, " has a malformed GPT: partition entries of 64 bytes");

        assertRefused(new byte[SECTOR], " has no GPT: it is smaller than two sectors");
    }

    @Test
    void theBiosBootTypeIsStoredWithItsFirstThreeFieldsLittleEndian() {
        assertThat(new String(BiosBootCode.guidBytes(BiosBootCode.BIOS_BOOT_TYPE), StandardCharsets.US_ASCII))
                .isEqualTo("Hah!IdontNeedEFI");
    }

    /** {@code install} names the disk first; {@code afterPath} is the rest of the message. */
    private void assertRefused(byte[] image, String afterPath) throws Exception {
        Path disk = Files.write(dir.resolve("refused.img"), image);
        assertThatThrownBy(() -> BiosBootCode.install(disk, bootImg(), coreImg(4 * SECTOR)))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(disk + afterPath);
        assertThat(Files.readAllBytes(disk)).as("left alone").isEqualTo(image);
    }

    /** A stand-in for boot.img: recognisable bytes everywhere, and the boot signature. */
    private static byte[] bootImg() {
        byte[] boot = pattern(SECTOR, 7, 3);
        boot[0x1fe] = 0x55;
        boot[0x1ff] = (byte) 0xaa;
        return boot;
    }

    /** A stand-in for sgdisk's sector 0: other recognisable bytes and one protective (0xEE) entry. */
    private static byte[] protectiveMbr() {
        byte[] mbr = pattern(SECTOR, 13, 1);
        Arrays.fill(mbr, 0x1be, 0x1fe, (byte) 0);
        mbr[0x1be + 4] = (byte) 0xee;
        mbr[0x1fe] = 0x55;
        mbr[0x1ff] = (byte) 0xaa;
        return mbr;
    }

    /** A stand-in for grub-mkimage's output: diskboot.img's blocklist as grub-mkimage leaves it. */
    private static byte[] coreImg(int length) {
        byte[] core = pattern(length, 5, 11);
        ByteBuffer buffer = le(core);
        buffer.putLong(SECTOR - 12, 2).putShort(SECTOR - 4, (short) 3).putShort(SECTOR - 2, (short) 0x820);
        buffer.put(SECTOR - 24, new byte[12]);
        buffer.putShort(SECTOR + 0x14, (short) 0x1234);
        return core;
    }

    /**
     * A 64-sector disk: protective MBR, GPT header at LBA 1, entries filling LBA 2 to 33, a Linux partition
     * first and the BIOS boot partition second; every other byte is recognisable.
     */
    private static byte[] disk(int entrySize, long biosBootFirst, long biosBootLast) {
        byte[] disk = pattern(64 * SECTOR, 3, 17);
        System.arraycopy(protectiveMbr(), 0, disk, 0, SECTOR);
        ByteBuffer buffer = le(disk);
        Arrays.fill(disk, SECTOR, SECTOR + 92, (byte) 0);
        buffer.put(SECTOR, "EFI PART".getBytes(StandardCharsets.US_ASCII));
        buffer.putLong(SECTOR + 72, 2).putInt(SECTOR + 80, 32 * SECTOR / entrySize).putInt(SECTOR + 84, entrySize);
        int entries = 2 * SECTOR;
        Arrays.fill(disk, entries, 34 * SECTOR, (byte) 0);
        buffer.put(entries, BiosBootCode.guidBytes("0FC63DAF-8483-4772-8E79-3D69D8477DE4"));
        buffer.putLong(entries + 32, 34).putLong(entries + 40, 39);
        buffer.put(entries + entrySize, BiosBootCode.guidBytes(BiosBootCode.BIOS_BOOT_TYPE));
        buffer.putLong(entries + entrySize + 32, biosBootFirst).putLong(entries + entrySize + 40, biosBootLast);
        return disk;
    }

    private static byte[] pattern(int length, int multiplier, int offset) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) (i * multiplier + offset);
        }
        return bytes;
    }

    private static ByteBuffer le(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
}
