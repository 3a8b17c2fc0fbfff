/*
 * Endpoints that answer at once with an empty body: /redirect/<host:port>/<path> (302 to
 * http://<host:port>/<path>) and /status/<code>/ (any status from 100 to 599), for clients that
 * must follow, refuse or report them. start.sh's readiness probe is /status/200/startup-probe.
 */

import java.io.IOException;

final class RedirectAndStatusEndpoints {

    private RedirectAndStatusEndpoints() {
    }

    /** 302 to http://<host:port>/<path>[?query]; only a host and port go into the Location header. */
    static void redirect(HttpConnection c, String rest) throws IOException {
        int slash = rest.indexOf('/');
        String hostPort = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash + 1);
        if (!hostPort.matches("[A-Za-z0-9.\\-]+(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]+\\](:[0-9]{1,5})?")) {
            c.log("redirect: 400 bad host:port '" + hostPort + "'");
            HttpResponses.sendHead(c.out, 400, "Content-Length: 0");
            return;
        }
        String location = "http://" + hostPort + "/" + path + (c.req.query() == null ? "" : "?" + c.req.query());
        c.log("redirect: 302 to " + location);
        HttpResponses.sendHead(c.out, 302, "Location: " + location, "Content-Length: 0");
    }

    /** That status for any method; a request body is read first so that closing sends no RST. */
    static void status(HttpConnection c, String rest) throws IOException {
        String codeText = rest.split("/", 2)[0];
        int code;
        try {
            code = Integer.parseInt(codeText);
        } catch (NumberFormatException e) {
            code = -1;
        }
        if (code < 100 || code > 599) {
            c.log("status: 400 bad status code '" + codeText + "'");
            HttpResponses.sendHead(c.out, 400, "Content-Length: 0");
            return;
        }
        HttpResponses.drainBody(c);
        c.log("status: " + code + ", empty body");
        HttpResponses.sendHead(c.out, code, "Content-Length: 0");
    }
}
