/*
 * The request side of the hostile server: one request line and its headers, read with hard limits
 * (a hostile test server must not itself be the thing that hangs or runs out of memory), and the
 * mapping of a request path into the data directory, which refuses anything that could climb out.
 */

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/** Header names are lower-cased; of a repeated header only the first value is kept. */
record HttpRequest(String method, String target, String path, String query, String version,
        Map<String, String> headers) {

    static final int MAX_LINE = 16 * 1024;
    static final int MAX_HEADERS = 200;

    /** The request, or null if the client closed the connection before sending anything. */
    static HttpRequest read(InputStream in) throws IOException, BadRequest {
        String line = readLine(in, true);
        while (line != null && line.isEmpty()) {
            line = readLine(in, true); // tolerate stray CRLFs before the request line
        }
        if (line == null) {
            return null;
        }
        String[] parts = line.split(" ");
        if (parts.length != 3 || !parts[2].startsWith("HTTP/")) {
            throw new BadRequest("malformed request line");
        }
        Map<String, String> headers = new HashMap<>();
        for (int i = 0;; i++) {
            String h = readLine(in, false);
            if (h.isEmpty()) {
                break;
            }
            if (i >= MAX_HEADERS) {
                throw new BadRequest("too many headers");
            }
            int colon = h.indexOf(':');
            if (colon <= 0) {
                throw new BadRequest("malformed header line");
            }
            headers.putIfAbsent(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
        }
        String target = parts[1];
        String path = target;
        if (path.startsWith("http://") || path.startsWith("https://")) { // absolute-form (proxy style)
            int slash = path.indexOf('/', path.indexOf("://") + 3);
            path = slash < 0 ? "/" : path.substring(slash);
        }
        int hash = path.indexOf('#');
        if (hash >= 0) {
            path = path.substring(0, hash);
        }
        String query = null;
        int q = path.indexOf('?');
        if (q >= 0) {
            query = path.substring(q + 1);
            path = path.substring(0, q);
        }
        return new HttpRequest(parts[0], target, path, query, parts[2], headers);
    }

    /** A CRLF- or LF-terminated line, ISO-8859-1; null at EOF before any byte if {@code eofOk}. */
    static String readLine(InputStream in, boolean eofOk) throws IOException, BadRequest {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int ch;
        while ((ch = in.read()) != -1) {
            if (ch == '\n') {
                byte[] bytes = b.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
            }
            if (b.size() >= MAX_LINE) {
                throw new BadRequest("request line or header too long");
            }
            b.write(ch);
        }
        if (eofOk && b.size() == 0) {
            return null;
        }
        throw new EOFException("client closed the connection mid-request");
    }

    /**
     * Maps the raw (percent-encoded) rest of a path below {@code base}. Refuses "." and ".." segments
     * (also encoded), encoded slashes, backslashes and NULs; returns null for an empty path.
     */
    static Path resolve(Path base, String rawRest) throws BadRequest {
        Path result = base;
        boolean any = false;
        for (String raw : rawRest.split("/", -1)) {
            if (raw.isEmpty()) {
                continue;
            }
            String seg = percentDecode(raw);
            if (seg.equals("..") || seg.equals(".") || seg.contains("/") || seg.contains("\\") || seg.contains("\0")) {
                throw new BadRequest("refusing path segment '" + raw + "'");
            }
            result = result.resolve(seg);
            any = true;
        }
        if (!any) {
            return null;
        }
        if (!result.normalize().startsWith(base)) {
            throw new BadRequest("refusing path outside the data directory");
        }
        return result;
    }

    /** %XX sequences as UTF-8 bytes; other characters as themselves. */
    static String percentDecode(String s) throws BadRequest {
        if (s.indexOf('%') < 0) {
            return s;
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '%') {
                if (i + 2 >= s.length()) {
                    throw new BadRequest("bad percent-encoding");
                }
                int hi = Character.digit(s.charAt(i + 1), 16);
                int lo = Character.digit(s.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    throw new BadRequest("bad percent-encoding");
                }
                b.write(hi * 16 + lo);
                i += 2;
            } else {
                b.writeBytes(String.valueOf(ch).getBytes(StandardCharsets.UTF_8));
            }
        }
        return b.toString(StandardCharsets.UTF_8);
    }
}
