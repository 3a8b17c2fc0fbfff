/*
 * Endpoints whose Content-Length is a lie: /truncate/ announces the real length and closes cleanly
 * (a FIN, not a reset) after half of it, so only a client that counts bytes notices; /huge-length/
 * announces 1 TiB, so a client must refuse on the header alone instead of starting to download.
 */

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

final class SizeLyingEndpoints {

    static final long HUGE_LENGTH = 1L << 40; // 1099511627776

    private SizeLyingEndpoints() {
    }

    /** Real length (or 1000000 for no such file), half the bytes (zeros for no such file), FIN. */
    static void truncate(HttpConnection c, String rest) throws IOException, BadRequest {
        if (!HttpResponses.getOrHead(c, "truncate")) {
            return;
        }
        Path file = HttpRequest.resolve(HostileServer.filesDir, rest);
        boolean exists = file != null && Files.isRegularFile(file);
        long size = exists ? Files.size(file) : HttpResponses.MISSING_LENGTH;
        c.log("truncate: " + (exists ? "" : "no such file, ") + "200 length " + size + ", sends " + size / 2
                + " bytes then closes");
        HttpResponses.sendHead(c.out, 200, "Content-Length: " + size,
                exists ? HttpResponses.contentType(file) : "Content-Type: application/octet-stream");
        if (c.head) {
            return;
        }
        if (exists) {
            HttpResponses.copy(file, c.out, size / 2);
        } else {
            HttpResponses.writeZeros(c.out, size / 2);
        }
        HttpResponses.closeGracefully(c);
    }

    /** Content-Length 1 TiB, then 1 KiB of zeros every 100 ms, for a client that ignores the header. */
    static void hugeLength(HttpConnection c) throws IOException {
        if (!HttpResponses.getOrHead(c, "huge-length")) {
            return;
        }
        c.log("huge-length: 200 length " + HUGE_LENGTH + ", 1 KiB every 100 ms until the client goes away");
        HttpResponses.sendHead(c.out, 200, "Content-Length: " + HUGE_LENGTH, "Content-Type: application/octet-stream");
        if (c.head) {
            return;
        }
        long deadline = System.currentTimeMillis() + HostileServer.MAX_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            c.out.write(HttpResponses.ZEROS, 0, 1024);
            c.out.flush();
            HostileServer.sleep(100);
        }
    }
}
