package dev.twoliter.engine.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Copies a file leaving runs of zeros as holes. Disk images are mostly zeros; Files.copy writes
 * every one of them on this JDK, so an uncompressed 2 GiB image with little in it would take 2 GiB.
 */
public final class SparseCopy {
    private static final int CHUNK = 1 << 16;

    private SparseCopy() {}

    /** Copies {@code from} to {@code to}, which must not exist. */
    public static void copy(Path from, Path to) throws IOException {
        try (FileChannel in = FileChannel.open(from, StandardOpenOption.READ);
                FileChannel out = FileChannel.open(to, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.allocate(CHUNK);
            long position = 0;
            while (true) {
                buffer.clear();
                int n = in.read(buffer, position);
                if (n < 0) {
                    break;
                }
                buffer.flip();
                if (!allZero(buffer)) {
                    while (buffer.hasRemaining()) {
                        out.write(buffer, position + buffer.position());
                    }
                }
                position += n;
            }
            if (out.size() < position) {
                // The file ends in zeros: give it its length without writing them.
                out.write(ByteBuffer.allocate(1), position - 1);
            }
        }
    }

    private static boolean allZero(ByteBuffer buffer) {
        return allZero(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
    }

    /** Whether {@code length} bytes from {@code offset} are all zero: a run to leave as a hole. */
    static boolean allZero(byte[] bytes, int offset, int length) {
        for (int i = offset; i < offset + length; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }
}
