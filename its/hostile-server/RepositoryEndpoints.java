/*
 * Files served from the data directory: /files/ (plain files such as source.bin) and /repo/ (the
 * kits forge_kits.py forged, in Maven repository layout) served honestly, and /slow-repo/ and
 * /drip-repo/, the same repository whose kit payloads (*-x86_64.tar) stall after the headers or
 * arrive one byte every 500 ms. Only the payloads misbehave: the POM and manifest a build resolves
 * first arrive normally, so the build reaches the payload transfer whose timeout is under test.
 */

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

final class RepositoryEndpoints {

    enum Mode { NORMAL, STALL_TAR, DRIP_TAR }

    private RepositoryEndpoints() {
    }

    /** {@code rest} below {@code base}, 200 with its real length, or 404; {@code name} is the log's. */
    static void serve(HttpConnection c, Path base, String rest, String name, Mode mode)
            throws IOException, BadRequest {
        if (!HttpResponses.getOrHead(c, name)) {
            return;
        }
        Path file = HttpRequest.resolve(base, rest);
        if (file == null || !Files.isRegularFile(file)) {
            HttpResponses.notFound(c, name + ": 404 no such file");
            return;
        }
        long size = Files.size(file);
        boolean payload = file.getFileName().toString().endsWith("-x86_64.tar");
        if (mode == Mode.STALL_TAR && payload) {
            c.log(name + ": 200 length " + size + (c.head ? " (HEAD, headers only)" : ", headers then stall"));
            HttpResponses.sendHead(c.out, 200, "Content-Length: " + size, HttpResponses.contentType(file));
            if (!c.head) {
                HostileServer.stall(c.socket);
            }
            return;
        }
        if (mode == Mode.DRIP_TAR && payload) {
            c.log(name + ": 200 length " + size + (c.head ? " (HEAD, headers only)" : ", 1 byte every 500 ms"));
            HttpResponses.sendHead(c.out, 200, "Content-Length: " + size, HttpResponses.contentType(file));
            if (!c.head) {
                dripFile(c, file, size);
            }
            return;
        }
        c.log(name + ": 200 length " + size + (c.head ? " (HEAD)" : ""));
        HttpResponses.sendHead(c.out, 200, "Content-Length: " + size, HttpResponses.contentType(file));
        if (!c.head) {
            HttpResponses.copy(file, c.out, size);
        }
    }

    /** The file's bytes, one every 500 ms: always some progress, never done in time. */
    static void dripFile(HttpConnection c, Path file, long size) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            for (long sent = 0; sent < size; sent++) {
                int b = in.read();
                if (b < 0) {
                    return; // file shrank
                }
                c.out.write(b);
                c.out.flush();
                HostileServer.sleep(500);
            }
        }
    }
}
