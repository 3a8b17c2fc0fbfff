/*
 * The HTTP behaviours of the hostile server, chosen by the first path segment. The ITs put these
 * paths in their POMs (@hostile.url@/...) and assert on what each does, so every path, status,
 * header, length and delay here is part of their contract:
 *
 *   /files/<path>            <dataDir>/files/<path>, 200 with Content-Length or 404; GET/HEAD
 *   /repo/<path>             <dataDir>/repo/<path> (Maven repository layout), same rules
 *   /slow-repo/<path>        like /repo/, but *-x86_64.tar: headers (real length), then stall
 *   /drip-repo/<path>        like /repo/, but *-x86_64.tar: real length, then 1 byte / 500 ms
 *   /stall-headers/<any>     reads the request, never answers
 *   /stall-body/<path>       real length (or 1000000) and half the file (or 10 bytes), then stalls
 *   /truncate/<path>         real length (or 1000000) and half the bytes, then closes
 *   /forever/<any>           200 chunked (HTTP/1.0: no length), zeros as fast as the client reads
 *   /drip/<any>              200, no length, one byte every 500 ms
 *   /huge-length/<any>       200, Content-Length 1 TiB, 1 KiB of zeros every 100 ms
 *   /redirect/<h:p>/<path>   302 to http://<h:p>/<path>
 *   /auth/<u>/<h>/<path>     /files/<path> with Basic auth u:pw where h = sha256 hex of pw (so that the
 *                            password itself never appears in a URL), else 401 + WWW-Authenticate
 *   /status/<code>/<any>     that status, empty body (any method)
 *   anything else            404
 * Paths with a "." or ".." segment (also percent-encoded) are refused with 400.
 */

import java.io.IOException;

final class Routes {

    private Routes() {
    }

    static void dispatch(HttpConnection c) throws IOException, BadRequest {
        String p = c.req.path();
        if (!p.startsWith("/")) {
            HttpResponses.notFound(c, "404 (not an origin-form path)");
            return;
        }
        int slash = p.indexOf('/', 1);
        String first = slash < 0 ? p.substring(1) : p.substring(1, slash);
        String rest = slash < 0 ? "" : p.substring(slash + 1);
        switch (first) {
            case "files" -> RepositoryEndpoints.serve(c, HostileServer.filesDir, rest, "files",
                    RepositoryEndpoints.Mode.NORMAL);
            case "repo" -> RepositoryEndpoints.serve(c, HostileServer.repoDir, rest, "repo",
                    RepositoryEndpoints.Mode.NORMAL);
            case "slow-repo" -> RepositoryEndpoints.serve(c, HostileServer.repoDir, rest, "slow-repo",
                    RepositoryEndpoints.Mode.STALL_TAR);
            case "drip-repo" -> RepositoryEndpoints.serve(c, HostileServer.repoDir, rest, "drip-repo",
                    RepositoryEndpoints.Mode.DRIP_TAR);
            case "stall-headers" -> SlowEndpoints.stallHeaders(c);
            case "stall-body" -> SlowEndpoints.stallBody(c, rest);
            case "truncate" -> SizeLyingEndpoints.truncate(c, rest);
            case "forever" -> SlowEndpoints.forever(c);
            case "drip" -> SlowEndpoints.drip(c);
            case "huge-length" -> SizeLyingEndpoints.hugeLength(c);
            case "redirect" -> RedirectAndStatusEndpoints.redirect(c, rest);
            case "auth" -> AuthEndpoint.auth(c, rest);
            case "status" -> RedirectAndStatusEndpoints.status(c, rest);
            default -> HttpResponses.notFound(c, "404 (no behaviour '" + first + "')");
        }
    }
}
