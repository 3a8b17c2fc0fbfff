/*
 * The response side of the hostile server, shared by every behaviour: status line and headers,
 * file and zero bodies, reading away a request body and closing with a FIN. The misbehaviour is in
 * the endpoint classes; what is here is meant to be plain, correct HTTP/1.1.
 */

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;

final class HttpResponses {

    /** The length /stall-body/ and /truncate/ announce for a file that does not exist. */
    static final long MISSING_LENGTH = 1_000_000L;
    static final byte[] ZEROS = new byte[64 * 1024];
    static final byte[] CRLF = {'\r', '\n'};

    private HttpResponses() {
    }

    /** Status line, Server, Date, the given headers and "Connection: close"; flushed at once. */
    static void sendHead(OutputStream out, int code, String... headers) throws IOException {
        StringBuilder b = new StringBuilder(256);
        b.append("HTTP/1.1 ").append(code).append(' ').append(reason(code)).append("\r\n");
        b.append("Server: twoliter-hostile\r\n");
        b.append("Date: ").append(DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)))
                .append("\r\n");
        for (String h : headers) {
            b.append(h).append("\r\n");
        }
        b.append("Connection: close\r\n\r\n");
        out.write(b.toString().getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    static String reason(int code) {
        return switch (code) {
            case 100 -> "Continue";
            case 200 -> "OK";
            case 201 -> "Created";
            case 204 -> "No Content";
            case 206 -> "Partial Content";
            case 301 -> "Moved Permanently";
            case 302 -> "Found";
            case 303 -> "See Other";
            case 304 -> "Not Modified";
            case 307 -> "Temporary Redirect";
            case 308 -> "Permanent Redirect";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 407 -> "Proxy Authentication Required";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 416 -> "Range Not Satisfiable";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Status " + code;
        };
    }

    static String contentType(Path file) {
        String n = file.getFileName().toString();
        if (n.endsWith(".pom") || n.endsWith(".xml")) {
            return "Content-Type: application/xml";
        }
        if (n.endsWith(".sha1") || n.endsWith(".md5") || n.endsWith(".sha256") || n.endsWith(".sha512")
                || n.endsWith(".toml") || n.endsWith(".txt")) {
            return "Content-Type: text/plain";
        }
        return "Content-Type: application/octet-stream";
    }

    /** True for GET and HEAD; anything else gets 405 (and false). */
    static boolean getOrHead(HttpConnection c, String behaviour) throws IOException {
        String m = c.req.method();
        if (m.equals("GET") || m.equals("HEAD")) {
            return true;
        }
        c.log(behaviour + ": 405 method not allowed");
        sendHead(c.out, 405, "Allow: GET, HEAD", "Content-Length: 0");
        return false;
    }

    static void notFound(HttpConnection c, String behaviour) throws IOException {
        c.log(behaviour);
        sendHead(c.out, 404, "Content-Length: 0");
    }

    /** The first {@code limit} bytes of the file (fewer if it is shorter), flushed. */
    static void copy(Path file, OutputStream out, long limit) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long left = limit;
        try (InputStream in = Files.newInputStream(file)) {
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    break;
                }
                out.write(buf, 0, n);
                left -= n;
            }
        }
        out.flush();
    }

    static void writeZeros(OutputStream out, long count) throws IOException {
        for (long left = count; left > 0; left -= ZEROS.length) {
            out.write(ZEROS, 0, (int) Math.min(ZEROS.length, left));
        }
        out.flush();
    }

    /** Reads and discards a Content-Length request body (up to 64 MiB), so closing sends no RST. */
    static void drainBody(HttpConnection c) throws IOException {
        String length = c.req.headers().get("content-length");
        if (length == null) {
            return;
        }
        long left;
        try {
            left = Math.min(Long.parseLong(length.trim()), 64L << 20);
        } catch (NumberFormatException e) {
            return;
        }
        c.socket.setSoTimeout(5_000);
        byte[] buf = new byte[64 * 1024];
        while (left > 0) {
            int n = c.in.read(buf, 0, (int) Math.min(buf.length, left));
            if (n < 0) {
                return;
            }
            left -= n;
        }
    }

    /**
     * FIN instead of RST: shut down output, then discard what the client still sends (1 s max), so
     * the client sees a clean early end of the body rather than a connection reset.
     */
    static void closeGracefully(HttpConnection c) throws IOException {
        c.out.flush();
        c.socket.shutdownOutput();
        c.socket.setSoTimeout(1_000);
        try {
            InputStream raw = c.socket.getInputStream();
            byte[] buf = new byte[8192];
            while (raw.read(buf) >= 0) {
                // discard
            }
        } catch (IOException ignored) {
            // timeout or reset: closing anyway
        }
    }
}
