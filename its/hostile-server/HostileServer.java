/*
 * A deliberately misbehaving HTTP server (plus a Docker endpoint that never answers) for the
 * twoliter-maven integration tests. JDK only; run with the single-file source launcher:
 *
 *   java its/hostile-server/HostileServer.java <dataDir> <httpPort> <dockerPort> [pidFile]
 *
 * Binds only to 127.0.0.1. Every HTTP response carries "Connection: close" (one request per
 * connection). One log line per request (stdout): connection id, method, path, behaviour.
 * Request header values are never logged; the password segment of /auth/ paths is masked.
 *
 * HTTP behaviours, chosen by the first path segment:
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
 * Docker port: accepts connections, reads and discards, never answers.
 * Every "forever"/stall behaviour ends after 10 minutes at the latest (socket closed).
 */

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

public final class HostileServer {

    /** Upper bound for every endless behaviour; the reaper closes any socket older than this. */
    static final long MAX_MILLIS = TimeUnit.MINUTES.toMillis(10);
    /** How long a client may take to send its request line and headers. */
    static final int REQUEST_TIMEOUT_MILLIS = 30_000;
    static final int MAX_LINE = 16 * 1024;
    static final int MAX_HEADERS = 200;
    static final long MISSING_LENGTH = 1_000_000L;
    static final long HUGE_LENGTH = 1L << 40; // 1099511627776
    static final byte[] ZEROS = new byte[64 * 1024];
    static final byte[] CRLF = {'\r', '\n'};

    static final AtomicLong IDS = new AtomicLong();
    static final ExecutorService POOL = Executors.newCachedThreadPool(daemon("conn"));
    static final ScheduledExecutorService REAPER = Executors.newSingleThreadScheduledExecutor(daemon("reaper"));

    static Path filesDir;
    static Path repoDir;

    public static void main(String[] args) throws Exception {
        if (args.length < 3 || args.length > 4) {
            System.err.println("usage: java HostileServer.java <dataDir> <httpPort> <dockerPort> [pidFile]");
            System.exit(2);
        }
        Path dataDir = Path.of(args[0]).toAbsolutePath().normalize();
        Files.createDirectories(dataDir);
        filesDir = dataDir.resolve("files");
        repoDir = dataDir.resolve("repo");
        int httpPort = port(args[1]);
        int dockerPort = port(args[2]);

        InetAddress loopback = InetAddress.getByAddress(new byte[] {127, 0, 0, 1});
        ServerSocket http = bind(loopback, httpPort, "http");
        ServerSocket docker = bind(loopback, dockerPort, "docker");

        if (args.length == 4) {
            Path pidFile = Path.of(args[3]).toAbsolutePath();
            long pid = ProcessHandle.current().pid();
            Path tmp = pidFile.resolveSibling(pidFile.getFileName() + ".tmp");
            Files.writeString(tmp, pid + "\n");
            Files.move(tmp, pidFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    if (Files.readString(pidFile).trim().equals(Long.toString(pid))) {
                        Files.deleteIfExists(pidFile);
                    }
                } catch (IOException ignored) {
                    // already gone
                }
            }));
        }

        Thread dockerThread = new Thread(() -> acceptLoop(docker, false), "docker-accept");
        dockerThread.setDaemon(true);
        dockerThread.start();
        log("pid " + ProcessHandle.current().pid() + ", data directory " + dataDir);
        synchronized (System.out) {
            System.out.println("hostile server up: http://127.0.0.1:" + http.getLocalPort() + "/ docker tcp://127.0.0.1:"
                    + docker.getLocalPort());
            System.out.flush();
        }
        acceptLoop(http, true);
    }

    static int port(String s) {
        try {
            int p = Integer.parseInt(s);
            if (p >= 0 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException ignored) {
            // fall through
        }
        System.err.println("hostile server: bad port '" + s + "'");
        System.exit(2);
        return -1;
    }

    static ServerSocket bind(InetAddress address, int port, String what) {
        try {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(address, port), 512);
            return server;
        } catch (IOException e) {
            System.err.println("hostile server: cannot bind " + what + " port 127.0.0.1:" + port + ": " + e);
            System.exit(1);
            return null;
        }
    }

    static ThreadFactory daemon(String prefix) {
        AtomicLong n = new AtomicLong();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    static void acceptLoop(ServerSocket server, boolean http) {
        while (true) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (server.isClosed()) {
                    return;
                }
                log("accept failed: " + e);
                sleep(100);
                continue;
            }
            long id = IDS.incrementAndGet();
            ScheduledFuture<?> reaper = REAPER.schedule(() -> closeQuietly(socket), MAX_MILLIS + 5_000,
                    TimeUnit.MILLISECONDS);
            try {
                POOL.execute(() -> {
                    try {
                        if (http) {
                            handleHttp(socket, id);
                        } else {
                            handleDocker(socket, id);
                        }
                    } catch (IOException e) {
                        // the client went away (or the reaper closed the socket): nothing to do
                    } catch (Throwable t) {
                        log("#" + id + " internal error: " + t);
                    } finally {
                        reaper.cancel(false);
                        closeQuietly(socket);
                    }
                });
            } catch (RejectedExecutionException e) {
                reaper.cancel(false);
                closeQuietly(socket);
            }
        }
    }

    // ------------------------------------------------------------------ docker

    static void handleDocker(Socket socket, long id) throws IOException {
        log("#" + id + " docker tcp connection from port " + socket.getPort() + " -> docker: accepted, never answering");
        stall(socket);
    }

    // ------------------------------------------------------------------ http plumbing

    record Request(String method, String target, String path, String query, String version,
            Map<String, String> headers) {}

    static final class BadRequest extends Exception {
        private static final long serialVersionUID = 1L;

        BadRequest(String message) {
            super(message);
        }
    }

    /** One connection, one request. */
    static final class Conn {
        final long id;
        final Socket socket;
        final InputStream in;
        final OutputStream out;
        final Request req;
        final boolean head;
        String loggedPath;
        private final AtomicBoolean logged = new AtomicBoolean();

        Conn(long id, Socket socket, InputStream in, OutputStream out, Request req) {
            this.id = id;
            this.socket = socket;
            this.in = in;
            this.out = out;
            this.req = req;
            this.head = req.method().equals("HEAD");
            this.loggedPath = req.target();
        }

        /** The single log line of this request. */
        void log(String behaviour) {
            if (logged.compareAndSet(false, true)) {
                HostileServer.log("#" + id + " " + clean(req.method()) + " " + clean(loggedPath) + " -> " + behaviour);
            }
        }
    }

    static void handleHttp(Socket socket, long id) throws IOException {
        socket.setSoTimeout(REQUEST_TIMEOUT_MILLIS);
        socket.setTcpNoDelay(true);
        InputStream in = new BufferedInputStream(socket.getInputStream());
        OutputStream out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        Request req;
        try {
            req = readRequest(in);
        } catch (BadRequest e) {
            log("#" + id + " ? ? -> 400 bad request: " + e.getMessage());
            sendHead(out, 400, "Content-Length: 0");
            return;
        } catch (SocketTimeoutException e) {
            return; // connected but never sent a request
        }
        if (req == null) {
            return; // connected and closed without a request (a port probe)
        }
        Conn c = new Conn(id, socket, in, out, req);
        try {
            dispatch(c);
        } catch (BadRequest e) {
            c.log("400 " + e.getMessage());
            sendHead(out, 400, "Content-Length: 0");
        } finally {
            c.log("(no behaviour logged)"); // no-op if the behaviour logged already
        }
        out.flush();
    }

    static Request readRequest(InputStream in) throws IOException, BadRequest {
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
        return new Request(parts[0], target, path, query, parts[2], headers);
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

    // ------------------------------------------------------------------ dispatch

    static void dispatch(Conn c) throws IOException, BadRequest {
        String p = c.req.path();
        if (!p.startsWith("/")) {
            notFound(c, "404 (not an origin-form path)");
            return;
        }
        int slash = p.indexOf('/', 1);
        String first = slash < 0 ? p.substring(1) : p.substring(1, slash);
        String rest = slash < 0 ? "" : p.substring(slash + 1);
        switch (first) {
            case "files" -> serve(c, filesDir, rest, "files", Mode.NORMAL);
            case "repo" -> serve(c, repoDir, rest, "repo", Mode.NORMAL);
            case "slow-repo" -> serve(c, repoDir, rest, "slow-repo", Mode.STALL_TAR);
            case "drip-repo" -> serve(c, repoDir, rest, "drip-repo", Mode.DRIP_TAR);
            case "stall-headers" -> stallHeaders(c);
            case "stall-body" -> stallBody(c, rest);
            case "truncate" -> truncate(c, rest);
            case "forever" -> forever(c);
            case "drip" -> drip(c);
            case "huge-length" -> hugeLength(c);
            case "redirect" -> redirect(c, rest);
            case "auth" -> auth(c, rest);
            case "status" -> status(c, rest);
            default -> notFound(c, "404 (no behaviour '" + first + "')");
        }
    }

    enum Mode { NORMAL, STALL_TAR, DRIP_TAR }

    static boolean getOrHead(Conn c, String behaviour) throws IOException {
        String m = c.req.method();
        if (m.equals("GET") || m.equals("HEAD")) {
            return true;
        }
        c.log(behaviour + ": 405 method not allowed");
        sendHead(c.out, 405, "Allow: GET, HEAD", "Content-Length: 0");
        return false;
    }

    static void notFound(Conn c, String behaviour) throws IOException {
        c.log(behaviour);
        sendHead(c.out, 404, "Content-Length: 0");
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

    // ------------------------------------------------------------------ behaviours

    static void serve(Conn c, Path base, String rest, String name, Mode mode) throws IOException, BadRequest {
        if (!getOrHead(c, name)) {
            return;
        }
        Path file = resolve(base, rest);
        if (file == null || !Files.isRegularFile(file)) {
            notFound(c, name + ": 404 no such file");
            return;
        }
        long size = Files.size(file);
        boolean payload = file.getFileName().toString().endsWith("-x86_64.tar");
        if (mode == Mode.STALL_TAR && payload) {
            c.log(name + ": 200 length " + size + (c.head ? " (HEAD, headers only)" : ", headers then stall"));
            sendHead(c.out, 200, "Content-Length: " + size, contentType(file));
            if (!c.head) {
                stall(c.socket);
            }
            return;
        }
        if (mode == Mode.DRIP_TAR && payload) {
            c.log(name + ": 200 length " + size + (c.head ? " (HEAD, headers only)" : ", 1 byte every 500 ms"));
            sendHead(c.out, 200, "Content-Length: " + size, contentType(file));
            if (!c.head) {
                dripFile(c, file, size);
            }
            return;
        }
        c.log(name + ": 200 length " + size + (c.head ? " (HEAD)" : ""));
        sendHead(c.out, 200, "Content-Length: " + size, contentType(file));
        if (!c.head) {
            copy(file, c.out, size);
        }
    }

    static void stallHeaders(Conn c) throws IOException {
        c.log("stall-headers: request read, never answering");
        stall(c.socket);
    }

    static void stallBody(Conn c, String rest) throws IOException, BadRequest {
        if (!getOrHead(c, "stall-body")) {
            return;
        }
        Path file = resolve(filesDir, rest);
        if (file != null && Files.isRegularFile(file)) {
            long size = Files.size(file);
            c.log("stall-body: 200 length " + size + ", sends " + size / 2 + " bytes then stalls");
            sendHead(c.out, 200, "Content-Length: " + size, contentType(file));
            if (!c.head) {
                copy(file, c.out, size / 2);
                c.out.flush();
                stall(c.socket);
            }
        } else {
            c.log("stall-body: no such file, 200 length " + MISSING_LENGTH + ", sends 10 bytes then stalls");
            sendHead(c.out, 200, "Content-Length: " + MISSING_LENGTH, "Content-Type: application/octet-stream");
            if (!c.head) {
                c.out.write(ZEROS, 0, 10);
                c.out.flush();
                stall(c.socket);
            }
        }
    }

    static void truncate(Conn c, String rest) throws IOException, BadRequest {
        if (!getOrHead(c, "truncate")) {
            return;
        }
        Path file = resolve(filesDir, rest);
        boolean exists = file != null && Files.isRegularFile(file);
        long size = exists ? Files.size(file) : MISSING_LENGTH;
        c.log("truncate: " + (exists ? "" : "no such file, ") + "200 length " + size + ", sends " + size / 2
                + " bytes then closes");
        sendHead(c.out, 200, "Content-Length: " + size,
                exists ? contentType(file) : "Content-Type: application/octet-stream");
        if (c.head) {
            return;
        }
        if (exists) {
            copy(file, c.out, size / 2);
        } else {
            writeZeros(c.out, size / 2);
        }
        closeGracefully(c);
    }

    static void forever(Conn c) throws IOException {
        if (!getOrHead(c, "forever")) {
            return;
        }
        boolean http10 = c.req.version().equals("HTTP/1.0");
        c.log("forever: 200 " + (http10 ? "no length (HTTP/1.0)" : "chunked") + ", zeros until the client goes away");
        if (http10) {
            sendHead(c.out, 200, "Content-Type: application/octet-stream");
        } else {
            sendHead(c.out, 200, "Content-Type: application/octet-stream", "Transfer-Encoding: chunked");
        }
        if (c.head) {
            return;
        }
        byte[] chunkHeader = (Integer.toHexString(ZEROS.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        long deadline = System.currentTimeMillis() + MAX_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            if (!http10) {
                c.out.write(chunkHeader);
            }
            c.out.write(ZEROS);
            if (!http10) {
                c.out.write(CRLF);
            }
        }
        c.out.flush();
    }

    static void drip(Conn c) throws IOException {
        if (!getOrHead(c, "drip")) {
            return;
        }
        c.log("drip: 200 no length, 1 byte every 500 ms until the client goes away");
        sendHead(c.out, 200, "Content-Type: application/octet-stream");
        if (c.head) {
            return;
        }
        long deadline = System.currentTimeMillis() + MAX_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            c.out.write('.');
            c.out.flush();
            sleep(500);
        }
    }

    static void hugeLength(Conn c) throws IOException {
        if (!getOrHead(c, "huge-length")) {
            return;
        }
        c.log("huge-length: 200 length " + HUGE_LENGTH + ", 1 KiB every 100 ms until the client goes away");
        sendHead(c.out, 200, "Content-Length: " + HUGE_LENGTH, "Content-Type: application/octet-stream");
        if (c.head) {
            return;
        }
        long deadline = System.currentTimeMillis() + MAX_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            c.out.write(ZEROS, 0, 1024);
            c.out.flush();
            sleep(100);
        }
    }

    static void redirect(Conn c, String rest) throws IOException {
        int slash = rest.indexOf('/');
        String hostPort = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "" : rest.substring(slash + 1);
        if (!hostPort.matches("[A-Za-z0-9.\\-]+(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]+\\](:[0-9]{1,5})?")) {
            c.log("redirect: 400 bad host:port '" + hostPort + "'");
            sendHead(c.out, 400, "Content-Length: 0");
            return;
        }
        String location = "http://" + hostPort + "/" + path + (c.req.query() == null ? "" : "?" + c.req.query());
        c.log("redirect: 302 to " + location);
        sendHead(c.out, 302, "Location: " + location, "Content-Length: 0");
    }

    static String sha256Hex(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void auth(Conn c, String rest) throws IOException, BadRequest {
        String[] parts = rest.split("/", 3);
        if (parts.length >= 2) { // never log the password
            c.loggedPath = "/auth/" + parts[0] + "/****" + (parts.length == 3 ? "/" + parts[2] : "")
                    + (c.req.query() == null ? "" : "?...");
        }
        if (parts.length < 3 || parts[0].isEmpty()) {
            c.log("auth: 400 expected /auth/<user>/<sha256 of password>/<path>");
            sendHead(c.out, 400, "Content-Length: 0");
            return;
        }
        if (!getOrHead(c, "auth")) {
            return;
        }
        String user = percentDecode(parts[0]);
        String passwordHash = percentDecode(parts[1]).toLowerCase(java.util.Locale.ROOT);
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
            sendHead(c.out, 401, "WWW-Authenticate: Basic realm=\"twoliter-its\"", "Content-Length: 0");
            return;
        }
        Path file = resolve(filesDir, parts[2]);
        if (file == null || !Files.isRegularFile(file)) {
            notFound(c, "auth: " + note + ", 404 no such file");
            return;
        }
        long size = Files.size(file);
        c.log("auth: " + note + ", 200 length " + size + (c.head ? " (HEAD)" : ""));
        sendHead(c.out, 200, "Content-Length: " + size, contentType(file));
        if (!c.head) {
            copy(file, c.out, size);
        }
    }

    static void status(Conn c, String rest) throws IOException {
        String codeText = rest.split("/", 2)[0];
        int code;
        try {
            code = Integer.parseInt(codeText);
        } catch (NumberFormatException e) {
            code = -1;
        }
        if (code < 100 || code > 599) {
            c.log("status: 400 bad status code '" + codeText + "'");
            sendHead(c.out, 400, "Content-Length: 0");
            return;
        }
        drainBody(c);
        c.log("status: " + code + ", empty body");
        sendHead(c.out, code, "Content-Length: 0");
    }

    // ------------------------------------------------------------------ helpers

    /** Keeps the socket open, discarding input, until the peer closes it or MAX_MILLIS pass. */
    static void stall(Socket socket) throws IOException {
        socket.setSoTimeout(1_000);
        InputStream raw = socket.getInputStream();
        byte[] buf = new byte[8192];
        long deadline = System.currentTimeMillis() + MAX_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            try {
                if (raw.read(buf) < 0) {
                    return;
                }
            } catch (SocketTimeoutException e) {
                // still there; keep waiting
            }
        }
    }

    static void dripFile(Conn c, Path file, long size) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            for (long sent = 0; sent < size; sent++) {
                int b = in.read();
                if (b < 0) {
                    return; // file shrank
                }
                c.out.write(b);
                c.out.flush();
                sleep(500);
            }
        }
    }

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
    static void drainBody(Conn c) throws IOException {
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

    /** FIN instead of RST: shut down output, then discard what the client still sends (1 s max). */
    static void closeGracefully(Conn c) throws IOException {
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

    static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Printable ASCII only, at most 400 characters. */
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

    static void log(String line) {
        synchronized (System.out) {
            System.out.println(Instant.now() + " " + line);
            System.out.flush();
        }
    }
}
