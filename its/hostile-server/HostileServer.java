/*
 * A deliberately misbehaving HTTP server (plus a Docker endpoint that never answers) for the
 * twoliter-maven integration tests. JDK only, default package, one file per scenario family;
 * start.sh compiles them all with javac and runs this class:
 *
 *   java -cp <dataDir>/classes HostileServer <dataDir> <httpPort> <dockerPort> [pidFile]
 *
 * Binds only to 127.0.0.1. Every HTTP response carries "Connection: close" (one request per
 * connection). One log line per request (stdout): connection id, method, path, behaviour.
 * Request header values are never logged; the password segment of /auth/ paths is masked.
 *
 * Where things are:
 *   HostileServer               this file: arguments, pid file, accept loops, the 10-minute reaper,
 *                               and the stall every "never answers" behaviour shares
 *   Routes                      which first path segment goes to which behaviour (the list of paths)
 *   HttpConnection              one connection: read one request, dispatch, log one line
 *   HttpRequest                 request parsing, percent-decoding, mapping a path into the data dir
 *   HttpResponses               status line and headers, file and zero bodies, closing with a FIN
 *   RepositoryEndpoints         /files/, /repo/ (forged kits), /slow-repo/, /drip-repo/
 *   SlowEndpoints               /stall-headers/, /stall-body/, /forever/, /drip/
 *   SizeLyingEndpoints          /truncate/, /huge-length/
 *   AuthEndpoint                /auth/ (Basic credentials)
 *   RedirectAndStatusEndpoints  /redirect/, /status/
 *   SilentDocker                the Docker port: accepts, reads, never answers
 * Every "forever"/stall behaviour ends after 10 minutes at the latest (socket closed).
 */

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

public final class HostileServer {

    /** Upper bound for every endless behaviour; the reaper closes any socket older than this. */
    static final long MAX_MILLIS = TimeUnit.MINUTES.toMillis(10);

    static final AtomicLong IDS = new AtomicLong();
    static final ExecutorService POOL = Executors.newCachedThreadPool(daemon("conn"));
    static final ScheduledExecutorService REAPER = Executors.newSingleThreadScheduledExecutor(daemon("reaper"));

    /** {@code <dataDir>/files}: plain files (forge_kits.py writes source.bin there). */
    static Path filesDir;
    /** {@code <dataDir>/repo}: the forged kits in Maven repository layout. */
    static Path repoDir;

    private HostileServer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3 || args.length > 4) {
            System.err.println("usage: java -cp <classes> HostileServer <dataDir> <httpPort> <dockerPort> [pidFile]");
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
            // Written only once both ports are bound, and atomically: start.sh and stop.sh trust it.
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
            // start.sh waits for this exact line before it probes the HTTP port.
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

    /**
     * One thread per connection (behaviours block for minutes on purpose), each connection closed by
     * the reaper at the latest shortly after {@link #MAX_MILLIS}, whatever its behaviour is doing.
     */
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
                            HttpConnection.handle(socket, id);
                        } else {
                            SilentDocker.handle(socket, id);
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

    /**
     * Keeps the socket open, discarding input, until the peer closes it or MAX_MILLIS pass. Reading
     * (rather than sleeping) notices a client that gives up, so stalls do not pile up threads.
     */
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

    /** One timestamped line on stdout (server.log); lines of concurrent connections never interleave. */
    static void log(String line) {
        synchronized (System.out) {
            System.out.println(Instant.now() + " " + line);
            System.out.flush();
        }
    }
}
