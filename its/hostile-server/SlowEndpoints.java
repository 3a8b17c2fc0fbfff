/*
 * Endpoints that are slow rather than wrong: no answer at all, half a body and then silence, a body
 * that never ends, or one byte every 500 ms. Each defeats a different client limit (read timeout
 * before the headers, read timeout mid-body, maximum download size, overall download deadline);
 * hostile-downloads asserts on the limit each one trips. hostile-leftovers uses /drip/ for a
 * download that is still running when it kills the build.
 */

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

final class SlowEndpoints {

    private SlowEndpoints() {
    }

    /** /stall-headers/: the request is read, the response never starts. */
    static void stallHeaders(HttpConnection c) throws IOException {
        c.log("stall-headers: request read, never answering");
        HostileServer.stall(c.socket);
    }

    /**
     * /stall-body/: the real length and the first half of the file, then silence. Without such a
     * file: a length of 1000000 and 10 zero bytes, so the path still stalls mid-body.
     */
    static void stallBody(HttpConnection c, String rest) throws IOException, BadRequest {
        if (!HttpResponses.getOrHead(c, "stall-body")) {
            return;
        }
        Path file = HttpRequest.resolve(HostileServer.filesDir, rest);
        if (file != null && Files.isRegularFile(file)) {
            long size = Files.size(file);
            c.log("stall-body: 200 length " + size + ", sends " + size / 2 + " bytes then stalls");
            HttpResponses.sendHead(c.out, 200, "Content-Length: " + size, HttpResponses.contentType(file));
            if (!c.head) {
                HttpResponses.copy(file, c.out, size / 2);
                c.out.flush();
                HostileServer.stall(c.socket);
            }
        } else {
            c.log("stall-body: no such file, 200 length " + HttpResponses.MISSING_LENGTH
                    + ", sends 10 bytes then stalls");
            HttpResponses.sendHead(c.out, 200, "Content-Length: " + HttpResponses.MISSING_LENGTH,
                    "Content-Type: application/octet-stream");
            if (!c.head) {
                c.out.write(HttpResponses.ZEROS, 0, 10);
                c.out.flush();
                HostileServer.stall(c.socket);
            }
        }
    }

    /**
     * /forever/: 64 KiB chunks of zeros as fast as the client reads, for up to MAX_MILLIS. HTTP/1.0
     * has no chunked encoding, so there the body is simply unbounded (ended by closing).
     */
    static void forever(HttpConnection c) throws IOException {
        if (!HttpResponses.getOrHead(c, "forever")) {
            return;
        }
        boolean http10 = c.req.version().equals("HTTP/1.0");
        c.log("forever: 200 " + (http10 ? "no length (HTTP/1.0)" : "chunked") + ", zeros until the client goes away");
        if (http10) {
            HttpResponses.sendHead(c.out, 200, "Content-Type: application/octet-stream");
        } else {
            HttpResponses.sendHead(c.out, 200, "Content-Type: application/octet-stream", "Transfer-Encoding: chunked");
        }
        if (c.head) {
            return;
        }
        byte[] zeros = HttpResponses.ZEROS;
        byte[] chunkHeader = (Integer.toHexString(zeros.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        long deadline = System.currentTimeMillis() + HostileServer.MAX_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            if (!http10) {
                c.out.write(chunkHeader);
            }
            c.out.write(zeros);
            if (!http10) {
                c.out.write(HttpResponses.CRLF);
            }
        }
        c.out.flush();
    }

    /** /drip/: no length, one '.' every 500 ms: never idle long enough for a read timeout. */
    static void drip(HttpConnection c) throws IOException {
        if (!HttpResponses.getOrHead(c, "drip")) {
            return;
        }
        c.log("drip: 200 no length, 1 byte every 500 ms until the client goes away");
        HttpResponses.sendHead(c.out, 200, "Content-Type: application/octet-stream");
        if (c.head) {
            return;
        }
        long deadline = System.currentTimeMillis() + HostileServer.MAX_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            c.out.write('.');
            c.out.flush();
            HostileServer.sleep(500);
        }
    }
}
