package dev.twoliter.engine.io;

import java.io.IOException;
import java.io.InputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * A tar reader that keeps commons-compress from reading unbounded extension headers into memory.
 * Counts what commons-compress reads for the extension headers of one entry. {@code getNextEntry}
 * recurses through itself for each extension header, so the counts are reset only by the outermost
 * call.
 */
final class GuardedTarInputStream extends TarArchiveInputStream {
    /**
     * commons-compress reads PAX records and GNU long names into memory; an archive could declare
     * gigabytes of them for one entry. Names in the archives we read are a few hundred bytes.
     */
    static final int MAX_EXTENSION_BYTES = 1 << 20;
    /** Header records (extension headers, old GNU sparse maps) that may precede one entry. */
    static final int MAX_HEADER_RECORDS_PER_ENTRY = 4096;
    /**
     * Extension headers (PAX, GNU long name or link) chained before one entry. commons-compress reads
     * each by calling {@code getNextEntry} again, so a long chain would exhaust the stack long before
     * the record bound applies; a real entry has at most a handful.
     */
    static final int MAX_EXTENSION_HEADERS_PER_ENTRY = 64;

    private int depth;
    private long extensionBytes;
    private int headerRecords;

    GuardedTarInputStream(InputStream in) {
        super(in);
    }

    @Override
    public TarArchiveEntry getNextEntry() throws IOException {
        if (depth == 0) {
            extensionBytes = 0;
            headerRecords = 0;
        } else if (depth > MAX_EXTENSION_HEADERS_PER_ENTRY) {
            throw new IOException("more than " + MAX_EXTENSION_HEADERS_PER_ENTRY + " extension headers (PAX records,"
                    + " GNU long names) precede one entry");
        }
        depth++;
        try {
            return super.getNextEntry();
        } finally {
            depth--;
        }
    }

    @Override
    protected byte[] readRecord() throws IOException {
        if (++headerRecords > MAX_HEADER_RECORDS_PER_ENTRY) {
            throw new IOException("more than " + MAX_HEADER_RECORDS_PER_ENTRY + " header records precede one"
                    + " entry (extension headers or sparse maps)");
        }
        return super.readRecord();
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        TarArchiveEntry current = getCurrentEntry();
        boolean extension = current != null && (current.isPaxHeader() || current.isGlobalPaxHeader()
                || current.isGNULongNameEntry() || current.isGNULongLinkEntry());
        if (!extension || length == 0) {
            return super.read(buffer, offset, length);
        }
        long room = MAX_EXTENSION_BYTES - extensionBytes;
        int n = super.read(buffer, offset, (int) Math.min(length, Math.max(room, 1)));
        if (n > 0) {
            extensionBytes += n;
            if (extensionBytes > MAX_EXTENSION_BYTES) {
                throw new IOException("the extension headers (PAX records, GNU long names) of one entry exceed "
                        + MAX_EXTENSION_BYTES + " bytes");
            }
        }
        return n;
    }
}
