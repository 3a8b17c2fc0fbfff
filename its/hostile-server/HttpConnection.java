/*
 * One HTTP connection of the hostile server: exactly one request, then the connection is closed
 * (every response says "Connection: close"), so a behaviour may stall, truncate or drip without
 * having to think about the next request on the same socket.
 */

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

final class HttpConnection {

    /** How long a client may take to send its request line and headers. */
    static final int REQUEST_TIMEOUT_MILLIS = 30_000;

    final long id;
    final Socket socket;
    final InputStream in;
    final OutputStream out;
    final HttpRequest req;
    final boolean head;
    /** The path as logged; /auth/ replaces it so that the password hash is never logged. */
    String loggedPath;
    private final AtomicBoolean logged = new AtomicBoolean();

    HttpConnection(long id, Socket socket, InputStream in, OutputStream out, HttpRequest req) {
        this.id = id;
        this.socket = socket;
        this.in = in;
        this.out = out;
        this.req = req;
        this.head = req.method().equals("HEAD");
        this.loggedPath = req.target();
    }

    /**
     * The single log line of this request (later calls are no-ops). Behaviours log before they start
     * misbehaving, so that a request that stalls for minutes is in server.log while it stalls.
     */
    void log(String behaviour) {
        if (logged.compareAndSet(false, true)) {
            HostileServer.log("#" + id + " " + clean(req.method()) + " " + clean(loggedPath) + " -> " + behaviour);
        }
    }

    static void handle(Socket socket, long id) throws IOException {
        socket.setSoTimeout(REQUEST_TIMEOUT_MILLIS);
        socket.setTcpNoDelay(true);
        InputStream in = new BufferedInputStream(socket.getInputStream());
        OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        HttpRequest req;
        try {
            req = HttpRequest.read(in);
        } catch (BadRequest e) {
            HostileServer.log("#" + id + " ? ? -> 400 bad request: " + e.getMessage());
            HttpResponses.sendHead(out, 400, "Content-Length: 0");
            return;
        } catch (SocketTimeoutException e) {
            return; // connected but never sent a request
        }
        if (req == null) {
            return; // connected and closed without a request (a port probe)
        }
        HttpConnection c = new HttpConnection(id, socket, in, out, req);
        try {
            Routes.dispatch(c);
        } catch (BadRequest e) {
            c.log("400 " + e.getMessage());
            HttpResponses.sendHead(out, 400, "Content-Length: 0");
        } finally {
            c.log("(no behaviour logged)"); // no-op if the behaviour logged already
        }
        out.flush();
    }

    /** Printable ASCII only, at most 400 characters: request text must not forge or flood log lines. */
    static String clean(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 400));
        for (int i = 0; i < s.length() && i < 400; i++) {
            char ch = s.charAt(i);
            b.append(ch >= 0x20 && ch < 0x7f ? ch : '?');
        }
        if (s.length() > 400) {
            b.append("...");
        }
        return b.toString();
    }
}
