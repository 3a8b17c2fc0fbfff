package dev.twoliter.engine.source;

import dev.twoliter.maven.MavenTerms;
import static dev.twoliter.engine.net.RawServer.ascii;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.sun.net.httpserver.HttpServer;
import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.net.NetworkLimits;
import dev.twoliter.engine.net.RawServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile servers against the whole fetch: each must end in a clear failure, a closed connection
 * and an empty cache, fast. Durations are never asserted; the preemptive timeouts only guard
 * against hangs.
 */
class SourceCacheDownloadTest {
    private static final Duration HANG_GUARD = Duration.ofSeconds(20);
    private static final NetworkLimits.Settings SETTINGS = new NetworkLimits.Settings("twoliter.connectTimeout",
            "twoliter.readTimeout", "twoliter.overallTimeout", "twoliter.maxDownloadBytes");
    private static final NetworkLimits LIMITS = new NetworkLimits(Duration.ofSeconds(2), Duration.ofSeconds(1),
            Duration.ofSeconds(10), 5000, SETTINGS);
    private static final String SHA512 = "ab".repeat(64);
    private static final String HEAD_100 = "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n";

    @TempDir
    Path dir;

    private RawServer raw;

    @AfterEach
    void stopAndCheckThreads() throws Exception {
        if (raw != null) {
            raw.close();
        }
        // A download's watchdog thread ends with the download; give it a moment to wind down.
        for (int i = 0; i < 100 && watchdogThreads() > 0; i++) {
            Thread.sleep(50);
        }
        assertThat(watchdogThreads()).as("watchdog threads still alive").isZero();
    }

    private static long watchdogThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("twoliter-download-watchdog") && t.isAlive()).count();
    }

    private SourceCache cache(NetworkLimits limits) {
        return new SourceCache(dir.resolve("cache"), List.of(), true, false, null, limits, Map.of(), MavenTerms.INSTANCE, BuildLog.SILENT);
    }

    /** Fetches a URL that must fail; returns the message after checking that nothing was left behind. */
    private String failure(String url, Long size, NetworkLimits limits) throws IOException {
        ExternalSource source = ExternalSource.of(url, SHA512, "a.tgz", false, size, null);
        Throwable[] thrown = new Throwable[1];
        assertTimeoutPreemptively(HANG_GUARD, () -> {
            try {
                cache(limits).fetch(source, "com.example:pkg");
            } catch (SourceFetchException e) {
                thrown[0] = e;
            }
        });
        assertThat(thrown[0]).as("fetch of " + url + " should fail").isNotNull();
        assertThat(filesIn(dir.resolve("cache"))).as("files left in the cache").isEmpty();
        return thrown[0].getMessage();
    }

    private String failure(String url) throws IOException {
        return failure(url, null, LIMITS);
    }

    private static List<Path> filesIn(Path root) throws IOException {
        if (!Files.exists(root)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void aServerThatSendsHeadersThenStallsHitsTheReadTimeout() throws Exception {
        raw = new RawServer((in, out) -> {
            out.write(ascii(HEAD_100 + "0123456789"));
            out.flush();
            RawServer.waitForHangUp(in);
        });
        assertThat(failure(raw.url("/a.tgz")))
                .contains("com.example:pkg: could not fetch external source a.tgz")
                .contains(raw.url("/a.tgz") + ": no data for 1 s (twoliter.readTimeout); the server stalled after"
                        + " 10 of 100 bytes");
        assertThat(raw.clientHungUp()).as("connection closed").isTrue();
    }

    @Test
    void aServerThatNeverAnswersHitsTheReadTimeout() throws Exception {
        raw = new RawServer((in, out) -> RawServer.waitForHangUp(in));
        // The wait for headers includes connecting; keep both short.
        NetworkLimits oneSecond = new NetworkLimits(Duration.ofSeconds(1), Duration.ofSeconds(1),
                Duration.ofSeconds(10), 5000, SETTINGS);
        assertThat(failure(raw.url("/a.tgz"), null, oneSecond))
                .contains(raw.url("/a.tgz") + ": no data for 1 s (twoliter.readTimeout) while waiting for the response");
        assertThat(raw.clientHungUp()).as("connection closed").isTrue();
    }

    @Test
    void aServerThatDripsBytesHitsTheOverallTimeout() throws Exception {
        raw = new RawServer((in, out) -> {
            out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 4000\r\n\r\n"));
            for (;;) {
                out.write('x');
                out.flush();
                Thread.sleep(100);
            }
        });
        // A generous read timeout, so that only the overall one can end this even on a busy machine.
        NetworkLimits oneSecond = new NetworkLimits(Duration.ofSeconds(2), Duration.ofSeconds(5),
                Duration.ofSeconds(1), 5000, SETTINGS);
        assertThat(failure(raw.url("/a.tgz"), null, oneSecond))
                .contains(raw.url("/a.tgz") + ": the download did not finish within 1 s (twoliter.overallTimeout); ")
                .containsPattern("; [0-9]+ of 4000 bytes arrived");
        assertThat(raw.clientHungUp()).as("connection closed").isTrue();
    }

    @Test
    void anEndlessBodyIsCutAtTheDownloadLimit() throws Exception {
        raw = new RawServer((in, out) -> {
            out.write(ascii("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n"));
            byte[] chunk = new byte[1024];
            for (;;) {
                out.write(chunk);
            }
        });
        assertThat(failure(raw.url("/a.tgz")))
                .contains(raw.url("/a.tgz") + ": the download grew past 5000 bytes (twoliter.maxDownloadBytes); aborted");
        assertThat(raw.clientHungUp()).as("connection closed").isTrue();
    }

    @Test
    void aContentLengthOverTheLimitFailsBeforeTheBody() throws Exception {
        raw = new RawServer((in, out) -> {
            out.write(ascii("HTTP/1.1 200 OK\r\nContent-Length: 1000000000000\r\n\r\n"));
            out.flush();
            RawServer.waitForHangUp(in);
        });
        assertThat(failure(raw.url("/a.tgz")))
                .contains(raw.url("/a.tgz") + ": the server announces 931.3 GiB (1000000000000 bytes), more than"
                        + " 5000 bytes (twoliter.maxDownloadBytes)");
        assertThat(raw.clientHungUp()).as("connection closed").isTrue();
    }

    @Test
    void aDeclaredSizeIsTheBound() throws Exception {
        raw = new RawServer((in, out) -> {
            out.write(ascii(HEAD_100));
            out.flush();
            RawServer.waitForHangUp(in);
        });
        assertThat(failure(raw.url("/a.tgz"), 50L, LIMITS))
                .contains(raw.url("/a.tgz") + ": the server announces 100 bytes, more than 50 bytes (the declared"
                        + " <size> of this source)");
    }

    @Test
    void aTruncatedBodyIsReportedAsSuch() throws Exception {
        raw = new RawServer((in, out) -> {
            out.write(ascii(HEAD_100 + "0123456789"));
            out.flush();
        });
        assertThat(failure(raw.url("/a.tgz")))
                .contains(raw.url("/a.tgz") + ": the server closed the connection after 10 of 100 bytes");
    }

    @Test
    void aTruncatedChunkedBodyIsReportedAsSuch() throws Exception {
        raw = new RawServer((in, out) -> {
            out.write(ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\na\r\n0123456789\r\n"));
            out.flush();
        });
        assertThat(failure(raw.url("/a.tgz")))
                .contains(raw.url("/a.tgz") + ": the server closed the connection after 10 bytes, before the end of"
                        + " the body");
    }

    @Test
    void aDeclaredSizeThatDoesNotMatchFails() throws Exception {
        byte[] content = "twenty-two bytes long!".getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            // length 0 makes the server send chunks, so nothing is announced and only the end tells
            exchange.sendResponseHeaders(200, exchange.getRequestURI().getPath().contains("chunked") ? 0 : content.length);
            exchange.getResponseBody().write(content);
            exchange.close();
        });
        server.start();
        try {
            String base = "http://127.0.0.1:" + server.getAddress().getPort();
            assertThat(failure(base + "/announced/a.tgz", 30L, LIMITS))
                    .contains(base + "/announced/a.tgz: the server announces 22 bytes, but the declared <size> is 30 bytes");
            assertThat(failure(base + "/chunked/a.tgz", 30L, LIMITS))
                    .contains(base + "/chunked/a.tgz: the download has 22 bytes, but the declared <size> is 30 bytes");
            assertThat(failure(base + "/chunked/a.tgz", 10L, LIMITS))
                    .contains(base + "/chunked/a.tgz: the download grew past 10 bytes (the declared <size> of this"
                            + " source); aborted");
        } finally {
            server.stop(0);
        }
    }

    @Test
    void anUnresolvableHostIsNamed() throws Exception {
        assertThat(failure("http://no-such-host.invalid/a.tgz"))
                .contains("http://no-such-host.invalid/a.tgz: cannot resolve host no-such-host.invalid");
    }

    @Test
    void aRefusedConnectionNamesHostAndPort() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        assertThat(failure("http://127.0.0.1:" + port + "/a.tgz"))
                .contains("http://127.0.0.1:" + port + "/a.tgz: connection refused by 127.0.0.1:" + port);
    }

    @Test
    void aServerThatAcceptsNoConnectionsHitsTheConnectTimeout() throws Exception {
        try (ServerSocket full = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            // Never accepting fills the listen queue; Linux then drops new connection attempts
            // silently, exactly like a black-holed host.
            List<java.net.Socket> fillers = new java.util.ArrayList<>();
            boolean blocked = false;
            try {
                for (int i = 0; i < 20 && !blocked; i++) {
                    java.net.Socket socket = new java.net.Socket();
                    fillers.add(socket);
                    try {
                        socket.connect(full.getLocalSocketAddress(), 200);
                    } catch (java.net.SocketTimeoutException e) {
                        blocked = true;
                    }
                }
                org.junit.jupiter.api.Assumptions.assumeTrue(blocked, "this OS does not stall connects to a full queue");
                NetworkLimits connectOneSecond = new NetworkLimits(Duration.ofSeconds(1), Duration.ofSeconds(5),
                        Duration.ofSeconds(10), 5000, SETTINGS);
                String url = "http://127.0.0.1:" + full.getLocalPort() + "/a.tgz";
                assertThat(failure(url, null, connectOneSecond)).contains(url + ": cannot connect to 127.0.0.1:"
                        + full.getLocalPort() + " within 1 s (twoliter.connectTimeout)");
            } finally {
                for (java.net.Socket socket : fillers) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void aRefusingProxyIsNamedAsTheProxy() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        HttpProxy proxy = new HttpProxy("127.0.0.1", port, "proxy-user", "proxy-pw", null);
        SourceCache cache = new SourceCache(dir.resolve("cache"), List.of(), true, false, proxy, LIMITS, Map.of(), MavenTerms.INSTANCE,
                BuildLog.SILENT);
        assertThatThrownBy(() -> cache.fetch(ExternalSource.of("http://sources.example/a.tgz", SHA512, null, false),
                "m")).hasMessageContaining("http://sources.example/a.tgz: connection refused by proxy 127.0.0.1:" + port);
        assertThat(proxy.toString()).doesNotContain("proxy-pw");
    }

    @Test
    void httpErrorsAreNamedWithTheirStatus() throws Exception {
        raw = new RawServer((in, out) -> {
            // an endless error page: it must not be read
            out.write(ascii("HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n"));
            byte[] chunk = new byte[1024];
            for (;;) {
                out.write(chunk);
            }
        });
        assertThat(failure(raw.url("/a.tgz"))).contains(raw.url("/a.tgz") + ": HTTP 404 (not found)");
        assertThat(raw.clientHungUp()).as("connection closed").isTrue();
    }

    @Test
    void aFileMirrorIsBoundedToo() throws Exception {
        byte[] content = new byte[6000];
        String sha512 = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-512").digest(content));
        Path mirror = dir.resolve("mirror");
        Files.createDirectories(mirror.resolve("a.tgz").resolve(sha512));
        Files.write(mirror.resolve("a.tgz").resolve(sha512).resolve("a.tgz"), content);
        SourceCache cache = new SourceCache(dir.resolve("cache"), List.of(mirror.toUri().toString()), false, false, null,
                LIMITS, Map.of(), MavenTerms.INSTANCE, BuildLog.SILENT);

        assertThatThrownBy(() -> cache.fetch(ExternalSource.of("https://example.org/a.tgz", sha512, null, false), "m"))
                .hasMessageContaining("/a.tgz: the file has 6000 bytes, more than 5000 bytes (twoliter.maxDownloadBytes)");
        assertThatThrownBy(() -> cache.fetch(ExternalSource.of("https://example.org/a.tgz", sha512, null, false, 7000L,
                null), "m")).hasMessageContaining("/a.tgz: the file has 6000 bytes, but the declared <size> is 7000 bytes");
        assertThat(cache.fetch(ExternalSource.of("https://example.org/a.tgz", sha512, null, false, 6000L, null), "m"))
                .hasBinaryContent(content);
    }
}
