package dev.twoliter.engine.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.io.Digests;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Against a real HTTP server on 127.0.0.1. */
class SourceCacheTest {
    private static final byte[] CONTENT = "upstream tarball bytes".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private HttpServer server;
    private final Map<String, byte[]> served = new ConcurrentHashMap<>();
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private String sha512;

    @BeforeEach
    void startServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            requests.add(path);
            byte[] body = served.get(path);
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
        Path tmp = Files.write(dir.resolve("content"), CONTENT);
        sha512 = Digests.sha512(tmp);
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private SourceCache cache(List<String> mirrors, boolean fallback, boolean offline) {
        return new SourceCache(dir.resolve("cache"), mirrors, fallback, offline, BuildLog.SILENT);
    }

    @Test
    void fetchesFromUpstreamOnceThenServesFromTheCache() throws Exception {
        served.put("/dl/hello-1.0.tar.gz", CONTENT);
        ExternalSource source = ExternalSource.of(url("/dl/hello-1.0.tar.gz"), sha512, null, false);

        Path first = cache(List.of(), true, false).fetch(source, "m");
        Path second = cache(List.of(), true, false).fetch(source, "m");

        assertThat(first).isEqualTo(dir.resolve("cache/hello-1.0.tar.gz/" + sha512 + "/hello-1.0.tar.gz"));
        assertThat(first).hasBinaryContent(CONTENT);
        assertThat(second).isEqualTo(first);
        assertThat(requests).containsExactly("/dl/hello-1.0.tar.gz");
    }

    @Test
    void triesMirrorsInOrderBeforeUpstream() throws Exception {
        served.put("/m2/src.tgz/" + sha512 + "/src.tgz", CONTENT);
        ExternalSource source = ExternalSource.of(url("/upstream/src.tgz"), sha512, null, false);

        cache(List.of(url("/m1"), url("/m2/")), true, false).fetch(source, "m");

        assertThat(requests).containsExactly("/m1/src.tgz/" + sha512 + "/src.tgz", "/m2/src.tgz/" + sha512 + "/src.tgz");
    }

    @Test
    void aCacheDirectoryServesAsAFileMirror() throws Exception {
        served.put("/dl/a.tgz", CONTENT);
        ExternalSource source = ExternalSource.of(url("/dl/a.tgz"), sha512, null, false);
        cache(List.of(), true, false).fetch(source, "m");
        server.stop(0);

        SourceCache other = new SourceCache(dir.resolve("other"), List.of(dir.resolve("cache").toUri().toString()),
                false, false, BuildLog.SILENT);
        assertThat(other.fetch(source, "m")).hasBinaryContent(CONTENT);
    }

    @Test
    void aWrongDigestFailsWithBothDigestsAndLeavesNothingBehind() throws Exception {
        served.put("/dl/a.tgz", "tampered".getBytes(StandardCharsets.UTF_8));
        ExternalSource source = ExternalSource.of(url("/dl/a.tgz"), sha512, null, false);

        assertThatThrownBy(() -> cache(List.of(), true, false).fetch(source, "com.example:pkg"))
                .isInstanceOf(SourceFetchException.class)
                .hasMessageContaining("com.example:pkg")
                .hasMessageContaining("sha512 mismatch, expected " + sha512)
                .hasMessageContaining("but the file has " + Digests.sha512(Files.write(dir.resolve("t"), "tampered".getBytes())));
        try (Stream<Path> files = Files.walk(dir.resolve("cache"))) {
            assertThat(files.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void anUnreachableUrlIsNamed() {
        ExternalSource source = ExternalSource.of("http://127.0.0.1:9/a.tgz", sha512, null, false);
        assertThatThrownBy(() -> cache(List.of(), true, false).fetch(source, "m"))
                .hasMessageContaining("could not fetch external source a.tgz")
                .hasMessageContaining("http://127.0.0.1:9/a.tgz: ");
    }

    @Test
    void withoutFallbackOnlyMirrorsOrForcedSourcesAreFetched() throws Exception {
        served.put("/dl/a.tgz", CONTENT);
        assertThatThrownBy(() -> cache(List.of(), false, false).fetch(
                ExternalSource.of(url("/dl/a.tgz"), sha512, null, false), "m"))
                .hasMessageContaining("upstream fallback is off");
        assertThat(requests).isEmpty();
        assertThat(cache(List.of(), false, false).fetch(ExternalSource.of(url("/dl/a.tgz"), sha512, null, true), "m"))
                .hasBinaryContent(CONTENT);
    }

    @Test
    void offlineUsesTheCacheAndSaysWhatIsMissing() throws Exception {
        served.put("/dl/a.tgz", CONTENT);
        ExternalSource source = ExternalSource.of(url("/dl/a.tgz"), sha512, null, false);
        assertThatThrownBy(() -> cache(List.of(), true, true).fetch(source, "m"))
                .hasMessageContaining("runs offline (-o)");
        cache(List.of(), true, false).fetch(source, "m");
        assertThat(cache(List.of(), true, true).fetch(source, "m")).hasBinaryContent(CONTENT);
    }

    @Test
    void aCorruptedCacheEntryIsFetchedAgain() throws Exception {
        served.put("/dl/a.tgz", CONTENT);
        ExternalSource source = ExternalSource.of(url("/dl/a.tgz"), sha512, null, false);
        Path cached = cache(List.of(), true, false).fetch(source, "m");
        Files.writeString(cached, "bit rot");
        assertThat(cache(List.of(), true, false).fetch(source, "m")).hasBinaryContent(CONTENT);
        assertThat(requests).hasSize(2);
    }

    @Test
    void goesThroughTheConfiguredProxyUnlessTheHostIsExempt() throws Exception {
        // The test server acts as the proxy: a proxied request carries the absolute URL of another host.
        served.put("http://sources.example/dl/a.tgz", CONTENT);
        server.removeContext("/");
        server.createContext("/", exchange -> {
            String target = exchange.getRequestURI().toString();
            requests.add(target);
            byte[] body = served.get(target);
            exchange.sendResponseHeaders(body == null ? 404 : 200, body == null ? -1 : body.length);
            if (body != null) {
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        HttpProxy proxy = new HttpProxy("127.0.0.1", server.getAddress().getPort(), null, null, "*.internal|localhost");
        SourceCache viaProxy = new SourceCache(dir.resolve("cache"), List.of(), true, false, proxy, BuildLog.SILENT);

        assertThat(viaProxy.fetch(ExternalSource.of("http://sources.example/dl/a.tgz", sha512, null, false), "m"))
                .hasBinaryContent(CONTENT);
        assertThat(requests).containsExactly("http://sources.example/dl/a.tgz");
        assertThat(proxy.selector().select(java.net.URI.create("http://mirror.internal/x")))
                .containsExactly(java.net.Proxy.NO_PROXY);
    }

    @Test
    void badDeclarationsAreRejectedBeforeAnyDownload() {
        assertThatThrownBy(() -> SourceCache.validate(ExternalSource.of(url("/a"), "abc", null, false), "mod"))
                .hasMessageContaining("mod").hasMessageContaining("128 hex digits");
        assertThatThrownBy(() -> SourceCache.validate(ExternalSource.of(url("/a.tgz"), sha512, "../x", false), "mod"))
                .hasMessageContaining("plain <fileName>");
        assertThatThrownBy(() -> SourceCache.validate(ExternalSource.of(null, sha512, null, false), "mod"))
                .hasMessageContaining("no <url>");
        assertThat(requests).isEmpty();
    }
}
