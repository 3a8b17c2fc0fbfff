/*
 * /auth/<user>/<sha256 hex of password>/<path>: serves /files/<path> only to a request with Basic
 * credentials user:password, else 401 with a challenge. The path carries the password's hash, never
 * the password, so the path may show up in URLs, messages and logs while the password itself must
 * not (hostile-secrets looks for it). The server masks the hash segment in its own log line and
 * never logs header values.
 */

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

final class AuthEndpoint {

    private AuthEndpoint() {
    }

    static String sha256Hex(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void auth(HttpConnection c, String rest) throws IOException, BadRequest {
        String[] parts = rest.split("/", 3);
        if (parts.length >= 2) { // never log the password
            c.loggedPath = "/auth/" + parts[0] + "/****" + (parts.length == 3 ? "/" + parts[2] : "")
                    + (c.req.query() == null ? "" : "?...");
        }
        if (parts.length < 3 || parts[0].isEmpty()) {
            c.log("auth: 400 expected /auth/<user>/<sha256 of password>/<path>");
            HttpResponses.sendHead(c.out, 400, "Content-Length: 0");
            return;
        }
        if (!HttpResponses.getOrHead(c, "auth")) {
            return;
        }
        String user = HttpRequest.percentDecode(parts[0]);
        String passwordHash = HttpRequest.percentDecode(parts[1]).toLowerCase(java.util.Locale.ROOT);
        String header = c.req.headers().get("authorization");
        boolean accepted = false;
        if (header != null) {
            String[] h = header.trim().split("\\s+", 2);
            if (h.length == 2 && h[0].equalsIgnoreCase("Basic")) {
                String decoded;
                try {
                    decoded = new String(Base64.getDecoder().decode(h[1]), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    decoded = "";
                }
                int colon = decoded.indexOf(':');
                accepted = colon >= 0 && decoded.substring(0, colon).equals(user)
                        && sha256Hex(decoded.substring(colon + 1)).equals(passwordHash);
            }
        }
        String note = header == null ? "no Authorization header" : "Authorization header present, "
                + (accepted ? "accepted" : "rejected");
        if (!accepted) {
            c.log("auth: " + note + " -> 401");
            HttpResponses.sendHead(c.out, 401, "WWW-Authenticate: Basic realm=\"twoliter-its\"", "Content-Length: 0");
            return;
        }
        Path file = HttpRequest.resolve(HostileServer.filesDir, parts[2]);
        if (file == null || !Files.isRegularFile(file)) {
            HttpResponses.notFound(c, "auth: " + note + ", 404 no such file");
            return;
        }
        long size = Files.size(file);
        c.log("auth: " + note + ", 200 length " + size + (c.head ? " (HEAD)" : ""));
        HttpResponses.sendHead(c.out, 200, "Content-Length: " + size, HttpResponses.contentType(file));
        if (!c.head) {
            HttpResponses.copy(file, c.out, size);
        }
    }
}
