package dev.twoliter.engine.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.twoliter.engine.RecordingLog;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Redirects, credentials and TLS, against servers on the loopback interface. */
class HttpDownloadTest {
    private static final NetworkLimits LIMITS = new NetworkLimits(Duration.ofSeconds(2), Duration.ofSeconds(2),
            Duration.ofSeconds(10), 1 << 20, NetworkLimits.UNNAMED);
    private static final byte[] CONTENT = "the real file".getBytes(StandardCharsets.UTF_8);
    private static final Credentials ALICE = new Credentials("alice", "pw-of-alice");
    private static SSLContext tls;

    @TempDir
    static Path keys;

    @TempDir
    Path dir;

    private final List<HttpServer> servers = new ArrayList<>();
    /** Per server port: request path and the Authorization header it carried ("-" if none). */
    private final Map<Integer, List<String>> seen = new ConcurrentHashMap<>();
    private final RecordingLog log = new RecordingLog();

    /** A self-signed certificate for 127.0.0.1, made with the JDK's keytool, trusted by the client. */
    @BeforeAll
    static void makeCertificate() throws Exception {
        Path store = keys.resolve("test.p12");
        Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", "test", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=127.0.0.1",
                "-ext", "SAN=ip:127.0.0.1", "-validity", "2", "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(keytool.exitValue()).as(output).isZero();
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keyStore.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory km = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        km.init(keyStore, "changeit".toCharArray());
        TrustManagerFactory tm = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tm.init(keyStore);
        tls = SSLContext.getInstance("TLS");
        tls.init(km.getKeyManagers(), tm.getTrustManagers(), null);
    }

    @AfterEach
    void stop() {
        servers.forEach(s -> s.stop(0));
    }

    private interface Handler {
        void handle(HttpExchange exchange) throws IOException;
    }

    private HttpServer start(HttpServer server, Handler handler) {
        int port = server.getAddress().getPort();
        seen.put(port, new CopyOnWriteArrayList<>());
        server.createContext("/", exchange -> {
            seen.get(port).add(exchange.getRequestURI().getPath() + " "
                    + String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")).replace("null", "-"));
            handler.handle(exchange);
            exchange.close();
        });
        server.start();
        servers.add(server);
        return server;
    }

    private HttpServer http(Handler handler) throws IOException {
        return start(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0), handler);
    }

    private HttpServer https(Handler handler) throws IOException {
        HttpsServer server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        return start(server, handler);
    }

    private static void serve(HttpExchange exchange) throws IOException {
        exchange.sendResponseHeaders(200, CONTENT.length);
        exchange.getResponseBody().write(CONTENT);
    }

    private static Handler redirectTo(String location) {
        return exchange -> {
            exchange.getResponseHeaders().add("Location", location);
            exchange.sendResponseHeaders(302, -1);
        };
    }

    private HttpDownload download() {
        return new HttpDownload(LIMITS, null, null, tls, log);
    }

    private Downloaded fetch(String url, Credentials credentials) throws Exception {
        Path into = Files.createFile(dir.resolve("into-" + System.nanoTime()));
        return download().download(URI.create(url), credentials, SizeBound.of(null, LIMITS, "<size>"), into);
    }

    private static String basic(Credentials c) {
        return "Basic " + Base64.getEncoder().encodeToString((c.username() + ":" + c.password()).getBytes(StandardCharsets.UTF_8));
    }

    private static String base(HttpServer server, String host) {
        return (server instanceof HttpsServer ? "https://" : "http://") + host + ":" + server.getAddress().getPort();
    }

    @Test
    void credentialsAreSentPreemptivelyAsBasic() throws Exception {
        HttpServer server = http(HttpDownloadTest::serve);
        assertThat(fetch(base(server, "127.0.0.1") + "/f", ALICE).bytes()).isEqualTo(CONTENT.length);
        assertThat(seen.get(server.getAddress().getPort())).containsExactly("/f " + basic(ALICE));
    }

    @Test
    void aRedirectToAnotherHostDoesNotGetTheCredentials() throws Exception {
        HttpServer other = http(HttpDownloadTest::serve);
        HttpServer first = http(redirectTo(base(other, "localhost") + "/f"));

        Downloaded result = fetch(base(first, "127.0.0.1") + "/start", ALICE);

        assertThat(result.bytes()).isEqualTo(CONTENT.length);
        assertThat(seen.get(first.getAddress().getPort())).containsExactly("/start " + basic(ALICE));
        assertThat(seen.get(other.getAddress().getPort())).containsExactly("/f -");
        assertThat(String.join("\n", log.lines())).doesNotContain("pw-of-alice");
    }

    @Test
    void aRedirectToAnotherPortOfTheSameHostDoesNotGetTheCredentials() throws Exception {
        HttpServer other = http(HttpDownloadTest::serve);
        HttpServer first = http(redirectTo(base(other, "127.0.0.1") + "/f"));
        fetch(base(first, "127.0.0.1") + "/start", ALICE);
        assertThat(seen.get(other.getAddress().getPort())).containsExactly("/f -");
    }

    @Test
    void aRedirectWithinTheOriginKeepsTheCredentials() throws Exception {
        HttpServer server = http(exchange -> {
            if (exchange.getRequestURI().getPath().equals("/start")) {
                redirectTo("/f").handle(exchange);
            } else {
                serve(exchange);
            }
        });
        fetch(base(server, "127.0.0.1") + "/start", ALICE);
        assertThat(seen.get(server.getAddress().getPort())).containsExactly("/start " + basic(ALICE), "/f " + basic(ALICE));
    }

    @Test
    void userInfoInARedirectLocationIsNeitherUsedNorShown() throws Exception {
        HttpServer other = http(exchange -> exchange.sendResponseHeaders(404, -1));
        HttpServer first = http(redirectTo("http://mallory:stolen-pw@localhost:" + other.getAddress().getPort() + "/f"));

        assertThatThrownBy(() -> fetch(base(first, "127.0.0.1") + "/start", null))
                .isInstanceOf(DownloadException.class)
                .hasMessage(base(first, "127.0.0.1") + "/start (redirected to http://***@localhost:"
                        + other.getAddress().getPort() + "/f): HTTP 404 (not found)")
                .satisfies(e -> assertThat(((DownloadException) e).status()).isEqualTo(404));
        assertThat(seen.get(other.getAddress().getPort())).containsExactly("/f -");
        assertThat(String.join("\n", log.lines())).doesNotContain("stolen-pw");
    }

    @Test
    void httpsWorksAndCarriesTheCredentials() throws Exception {
        HttpServer server = https(HttpDownloadTest::serve);
        assertThat(fetch(base(server, "127.0.0.1") + "/f", ALICE).bytes()).isEqualTo(CONTENT.length);
        assertThat(seen.get(server.getAddress().getPort())).containsExactly("/f " + basic(ALICE));
    }

    @Test
    void aRedirectFromHttpsToHttpIsRefused() throws Exception {
        HttpServer plain = http(HttpDownloadTest::serve);
        HttpServer secure = https(redirectTo(base(plain, "127.0.0.1") + "/f"));

        assertThatThrownBy(() -> fetch(base(secure, "127.0.0.1") + "/start", ALICE))
                .isInstanceOf(DownloadException.class)
                .hasMessage(base(secure, "127.0.0.1") + "/start: redirects from https to plain http ("
                        + base(plain, "127.0.0.1") + "/f); refused, since that would give up the encryption");
        assertThat(seen.get(plain.getAddress().getPort())).isEmpty();
    }

    @Test
    void aRedirectToAnotherSchemeIsRefused() throws Exception {
        HttpServer server = http(redirectTo("file:///etc/passwd"));
        assertThatThrownBy(() -> fetch(base(server, "127.0.0.1") + "/start", null))
                .hasMessage(base(server, "127.0.0.1") + "/start: redirects to file:///etc/passwd, which is no http or"
                        + " https URL with a host; refused");
    }

    @Test
    void redirectsAreFollowedAtMostFiveTimes() throws Exception {
        HttpServer server = http(exchange -> {
            int n = Integer.parseInt(exchange.getRequestURI().getPath().substring(1));
            redirectTo("/" + (n + 1)).handle(exchange);
        });
        assertThatThrownBy(() -> fetch(base(server, "127.0.0.1") + "/0", null))
                .hasMessage(base(server, "127.0.0.1") + "/0 (redirected to " + base(server, "127.0.0.1")
                        + "/5): more than 5 redirects");
        assertThat(seen.get(server.getAddress().getPort())).hasSize(6);
    }

    @Test
    void aRedirectWithoutLocationIsNamed() throws Exception {
        HttpServer server = http(exchange -> exchange.sendResponseHeaders(302, -1));
        assertThatThrownBy(() -> fetch(base(server, "127.0.0.1") + "/start", null))
                .hasMessage(base(server, "127.0.0.1") + "/start: HTTP 302 redirect without a Location header");
    }

    @Test
    void aRedirectToAMalformedLocationIsNamedAndNotFollowed() throws Exception {
        HttpServer server = http(redirectTo("http://bad host/f"));
        assertThatThrownBy(() -> fetch(base(server, "127.0.0.1") + "/start", null))
                .isInstanceOf(DownloadException.class)
                .hasMessage(base(server, "127.0.0.1") + "/start: HTTP 302 redirect to a malformed location http://bad"
                        + " host/f");
        assertThat(seen.get(server.getAddress().getPort())).containsExactly("/start -");
    }
}
