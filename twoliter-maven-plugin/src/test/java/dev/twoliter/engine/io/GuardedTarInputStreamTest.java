package dev.twoliter.engine.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;

/** The reader's bound on the header records that precede one entry, counted afresh for each entry. */
class GuardedTarInputStreamTest {
    private static final int RECORD = 512;

    /**
     * An old GNU sparse entry whose sparse map continues over {@code extensions} extension records
     * (each saying another follows, except the last): header records commons-compress reads in a loop.
     */
    private static byte[] oldGnuSparse(String name, int extensions) throws IOException {
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(header)) {
            TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_GNUTYPE_SPARSE);
            entry.setSize(0);
            tar.putArchiveEntry(entry);
            tar.closeArchiveEntry();
            tar.finish();
        }
        byte[] first = Arrays.copyOf(header.toByteArray(), RECORD);
        byte[] gnuMagic = "ustar  \0".getBytes(StandardCharsets.US_ASCII); // old GNU format: has the sparse fields
        System.arraycopy(gnuMagic, 0, first, 257, gnuMagic.length);
        first[482] = 1; // isextended
        Arrays.fill(first, 148, 156, (byte) ' ');
        long sum = 0;
        for (byte b : first) {
            sum += b & 0xff;
        }
        byte[] checksum = String.format("%06o\0 ", sum).getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(checksum, 0, first, 148, 8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(first);
        for (int i = 0; i < extensions; i++) {
            byte[] extension = new byte[RECORD];
            extension[504] = (byte) (i < extensions - 1 ? 1 : 0);
            if (i == extensions - 1) {
                extension[0] = '0'; // a record that is not all zeros, so it is no end-of-archive marker
            }
            out.write(extension);
        }
        return out.toByteArray();
    }

    private static byte[] plainFile(String name) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            TarArchiveEntry entry = new TarArchiveEntry(name);
            entry.setSize(1);
            tar.putArchiveEntry(entry);
            tar.write('x');
            tar.closeArchiveEntry();
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    @Test
    void theHeaderRecordsOfOneEntryAreBoundedAndCountedPerEntry() throws Exception {
        int half = GuardedTarInputStream.MAX_HEADER_RECORDS_PER_ENTRY / 2;
        byte[] fine = concat(oldGnuSparse("a", half), oldGnuSparse("b", half), plainFile("c"));
        try (GuardedTarInputStream tar = new GuardedTarInputStream(new ByteArrayInputStream(fine))) {
            assertThat(tar.getNextEntry().getName()).isEqualTo("a");
            assertThat(tar.getNextEntry().getName()).isEqualTo("b");
            assertThat(tar.getNextEntry().getName()).isEqualTo("c");
        }

        byte[] tooMany = oldGnuSparse("a", GuardedTarInputStream.MAX_HEADER_RECORDS_PER_ENTRY);
        try (GuardedTarInputStream tar = new GuardedTarInputStream(new ByteArrayInputStream(tooMany))) {
            assertThatThrownBy(tar::getNextEntry).isInstanceOf(IOException.class)
                    .hasMessage("more than 4096 header records precede one entry (extension headers or sparse maps)");
        }
    }

    /** {@code count} PAX extension headers in a row, each saying nothing, then a plain file. */
    private static byte[] chainedPaxHeaders(int count) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            byte[] record = "8 x=abc\n".getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < count; i++) {
                TarArchiveEntry pax = new TarArchiveEntry("PaxHeaders/" + i, TarConstants.LF_PAX_EXTENDED_HEADER_LC);
                pax.setSize(record.length);
                tar.putArchiveEntry(pax);
                tar.write(record);
                tar.closeArchiveEntry();
            }
        }
        return concat(Arrays.copyOf(out.toByteArray(), count * 2 * RECORD), plainFile("after"));
    }

    @Test
    void aLongChainOfExtensionHeadersIsRefusedBeforeItExhaustsTheStack() throws Exception {
        byte[] fine = chainedPaxHeaders(GuardedTarInputStream.MAX_EXTENSION_HEADERS_PER_ENTRY);
        try (GuardedTarInputStream tar = new GuardedTarInputStream(new ByteArrayInputStream(fine))) {
            assertThat(tar.getNextEntry().getName()).isEqualTo("after");
        }

        byte[] hostile = chainedPaxHeaders(20_000);
        try (GuardedTarInputStream tar = new GuardedTarInputStream(new ByteArrayInputStream(hostile))) {
            assertThatThrownBy(tar::getNextEntry).isInstanceOf(IOException.class)
                    .hasMessage("more than 64 extension headers (PAX records, GNU long names) precede one entry");
        }
    }
}
