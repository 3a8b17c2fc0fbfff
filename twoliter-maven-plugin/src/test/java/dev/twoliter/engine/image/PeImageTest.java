package dev.twoliter.engine.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.twoliter.engine.signing.PeLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Synthetic PE headers only. The checksum was also checked against objcopy 2.40: recomputing it on
 * UKIs objcopy had just written from systemd's linuxx64.efi.stub reproduced objcopy's own CheckSum.
 */
class PeImageTest {
    private static final int PE = 0x80;
    private static final int STAMP = PE + 8;
    private static final int CHECKSUM = PE + 24 + 64;

    @TempDir
    Path dir;

    @Test
    void setsTheTimestampAndTheChecksumAndNothingElse() {
        for (int magic : new int[] {0x20b, 0x10b}) {
            byte[] original = minimalPe(magic, 0x12345678, 1001);
            byte[] image = original.clone();

            PeImage.setTimestampAndChecksum(image, 1_700_000_000L);

            ByteBuffer fields = le(image);
            assertThat(Integer.toUnsignedLong(fields.getInt(STAMP))).isEqualTo(1_700_000_000L);
            byte[] zeroed = image.clone();
            le(zeroed).putInt(CHECKSUM, 0);
            assertThat(Integer.toUnsignedLong(fields.getInt(CHECKSUM))).as("magic 0x%x", magic)
                    .isEqualTo(referenceChecksum(zeroed));
            byte[] rest = image.clone();
            System.arraycopy(original, STAMP, rest, STAMP, 4);
            System.arraycopy(original, CHECKSUM, rest, CHECKSUM, 4);
            assertThat(rest).isEqualTo(original);
        }
    }

    @Test
    void buildsThatDifferOnlyInObjcopysClockBecomeIdentical() {
        byte[] first = minimalPe(0x20b, 1_796_154_201, 2000);
        byte[] second = minimalPe(0x20b, 1_796_154_202, 2000);
        le(second).putInt(CHECKSUM, 0x0010fa0e);
        PeImage.setTimestampAndChecksum(first, 1_700_000_000L);
        PeImage.setTimestampAndChecksum(second, 1_700_000_000L);
        assertThat(first).isEqualTo(second);
    }

    @Test
    void checksumFoldsCarriesPadsAnOddByteAndAddsTheLength() {
        assertThat(PeLayout.checksum(new byte[0])).isZero();
        assertThat(PeLayout.checksum(bytes(0x01, 0x02))).isEqualTo(0x0201 + 2);
        assertThat(PeLayout.checksum(bytes(0xff, 0xff, 0xff, 0xff))).isEqualTo(0xffff + 4);
        assertThat(PeLayout.checksum(bytes(0xff, 0xff, 0x02, 0x00, 0x80))).isEqualTo(0x0002 + 0x0080 + 5);
        byte[] big = new byte[0x30000];
        Arrays.fill(big, (byte) 0xff);
        assertThat(PeLayout.checksum(big)).isEqualTo(0xffff + 0x30000);
    }

    @Test
    void epochsOutsideAnUnsigned32BitStampAreRefused() {
        byte[] image = minimalPe(0x20b, 0, 600);
        PeImage.setTimestampAndChecksum(image, 0);
        PeImage.setTimestampAndChecksum(image, 0xffff_ffffL);
        assertThat(le(image).getInt(STAMP)).isEqualTo(-1);
        assertThatThrownBy(() -> PeImage.setTimestampAndChecksum(image, -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("PE timestamps run from 0 to 4294967295 seconds; -1 is out of range");
        assertThatThrownBy(() -> PeImage.setTimestampAndChecksum(image, 0x1_0000_0000L))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("PE timestamps run from 0 to 4294967295 seconds; 4294967296 is out of range");
    }

    @Test
    void refusesWhatIsNotAPeImage() {
        assertRefused(new byte[0x3f], "not a PE image: 63 bytes is shorter than a DOS header");
        byte[] noMz = minimalPe(0x20b, 0, 600);
        noMz[0] = 'Z';
        assertRefused(noMz, "not a PE image: no MZ signature");
        byte[] farAway = minimalPe(0x20b, 0, 600);
        le(farAway).putInt(0x3c, 0x8000_0000);
        assertRefused(farAway,
                "not a PE image or truncated: the PE header at offset 2147483648 does not fit in 600 bytes");
        assertRefused(Arrays.copyOf(minimalPe(0x20b, 0, 600), CHECKSUM + 3),
                "not a PE image or truncated: the PE header at offset 128 does not fit in 219 bytes");
        byte[] noSignature = minimalPe(0x20b, 0, 600);
        noSignature[PE + 1] = 'X';
        assertRefused(noSignature, "not a PE image: no \"PE\\0\\0\" signature at offset 128");
        assertRefused(minimalPe(0x107, 0, 600),
                "not a PE image: optional header of 240 bytes with magic 0x107 has no CheckSum field");
        byte[] shortOptional = minimalPe(0x20b, 0, 600);
        le(shortOptional).putShort(PE + 20, (short) 64);
        assertRefused(shortOptional,
                "not a PE image: optional header of 64 bytes with magic 0x20b has no CheckSum field");
    }

    @Test
    void rewritesAFileAndNamesItWhenItIsRefused() throws Exception {
        Path file = Files.write(dir.resolve("uki.efi"), minimalPe(0x20b, 0x12345678, 777));
        PeImage.setTimestampAndChecksum(file, 1_700_000_000L);
        byte[] expected = minimalPe(0x20b, 0x12345678, 777);
        PeImage.setTimestampAndChecksum(expected, 1_700_000_000L);
        assertThat(Files.readAllBytes(file)).isEqualTo(expected);

        Path text = Files.writeString(dir.resolve("notes.txt"), "MZ is not enough for a PE image, is it?");
        assertThatThrownBy(() -> PeImage.setTimestampAndChecksum(text, 1_700_000_000L))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(text + ": not a PE image");
        assertThat(Files.readString(text)).isEqualTo("MZ is not enough for a PE image, is it?");
    }

    private static void assertRefused(byte[] image, String message) {
        byte[] copy = image.clone();
        assertThatThrownBy(() -> PeImage.setTimestampAndChecksum(image, 1_700_000_000L))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
        assertThat(image).as("left alone").isEqualTo(copy);
    }

    /**
     * DOS header pointing at a PE header at 0x80: COFF header with the given stamp, a 240-byte optional
     * header with the given magic and a stale CheckSum; all other bytes recognisable.
     */
    private static byte[] minimalPe(int magic, int timestamp, int length) {
        byte[] image = new byte[length];
        for (int i = 0; i < length; i++) {
            image[i] = (byte) (i * 31 + 7);
        }
        ByteBuffer buffer = le(image);
        buffer.put(0, (byte) 'M').put(1, (byte) 'Z').putInt(0x3c, PE);
        buffer.putInt(PE, 0x0000_4550).putShort(PE + 4, (short) 0x8664).putInt(STAMP, timestamp);
        buffer.putShort(PE + 20, (short) 0xf0).putShort(PE + 24, (short) magic);
        buffer.putInt(CHECKSUM, 0xdeadbeef);
        return image;
    }

    /** The textbook form: add every word, fold the carries at the end, add the length. */
    private static long referenceChecksum(byte[] image) {
        long sum = 0;
        for (int i = 0; i < image.length; i += 2) {
            sum += (image[i] & 0xff) + (i + 1 < image.length ? (image[i + 1] & 0xff) << 8 : 0);
        }
        while (sum > 0xffff) {
            sum = (sum & 0xffff) + (sum >>> 16);
        }
        return sum + image.length;
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    private static ByteBuffer le(byte[] bytes) {
        return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }
}
