package dev.twoliter.engine.source;

import dev.twoliter.maven.MavenTerms;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.RecordingLog;
import dev.twoliter.engine.io.Digests;
import dev.twoliter.engine.io.Temporaries;
import dev.twoliter.engine.net.Credentials;
import dev.twoliter.engine.net.NetworkLimits;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
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
    /** Per request: its path and the Authorization header it carried ("-" if none). */
    private final List<String> authorizations = new CopyOnWriteArrayList<>();
    private final RecordingLog log = new RecordingLog();
    private String sha512;

    @BeforeEach
    void startServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            requests.add(path);
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            authorizations.add(path + " " + (authorization == null ? "-" : authorization));
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
        return new SourceCache(dir.resolve("cache"), mirrors, fallback, offline, null, NetworkLimits.DEFAULTS, Map.of(), MavenTerms.INSTANCE,
                BuildLog.SILENT);
    }

    @Test
    void fetchesFromUpstreamOnceThenServesFromTheCache() throws Exception {
        served.put("/dl/hello-1.0.tar.gz", CONTENT);
        ExternalSource source = ExternalSource.of(url("/dl/hello-1.0.tar.gz"), sha512, null, false, null, null);

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
        ExternalSource source = ExternalSource.of(url("/upstream/src.tgz"), sha512, null, false, null, null);

        cache(List.of(url("/m1"), url("/m2/")), true, false).fetch(source, "m");

        assertThat(requests).containsExactly("/m1/src.tgz/" + sha512 + "/src.tgz", "/m2/src.tgz/" + sha512 + "/src.tgz");
    }

    @Test
    void aCacheDirectoryServesAsAFileMirror() throws Exception {
        served.put("/dl/a.tgz", CONTENT);
        ExternalSource source = ExternalSource.of(url("/dl/a.tgz"), sha512, null, false, null, null);
        cache(List.of(), true, false).fetch(source, "m");
        server.stop(0);

        SourceCache other = new SourceCache(dir.resolve("other"), List.of(dir.resolve("cache").toUri().toString()),
                false, false, null, NetworkLimits.DEFAULTS, Map.of(), MavenTerms.INSTANCE, BuildLog.SILENT);
        assertThat(other.fetch(source, "m")).hasBinaryContent(CONTENT);
    }

    @Test
    void aWrongDigestFailsWithBothDigestsAndLeavesNothingBehind() throws Exception {
        served.put("/dl/a.tgz", "tampered".getBytes(StandardCharsets.UTF_8));
        ExternalSource source = ExternalSource.of(url("/dl/a.tgz"), sha512, null, false, null, null);

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
        ExternalSource source = ExternalSource.of("http://127.0.0.1:9/a.tgz", sha512, null, false, null, null);
        assertThatThrownBy(() -> cache(List.of(), true, false).fetch(source, "m"))
                .hasMessageContaining("could not fetch external source a.tgz")
                .hasMessageContaining("http://127.0.0.1:9/a.tgz: ");
    }

    @Test
    void withoutFallbackOnlyMirrorsOrForcedSourcesAreFetched() throws Exception {
        served.put("/dl/a.tgz", CONTENT);
        assertThatThrownBy(() -> cache(List.of(), false, false).fetch(
                ExternalSource.of(url("/dl/a.tgz"), sha512, null, false, null, null), "m"))
                .hasMessageContaining("upstream fallback is off");
        assertThat(requests).isEmpty();
        assertThat(cache(List.of(), false, false).fetch(
                ExternalSource.of(url("/dl/a.tgz"), sha512, null, true, null, null), "m")).hasBinaryContent(CONTENT);
    }

    @Test
    void offlineUsesTheCacheAndSaysWhatIsMissing() throws Exception {
        served.put("/dl/a.tgz", CONTENT);
        ExternalSource source = ExternalSource.of(url("/dl/a.tgz"), sha512, null, false, null, null);
        assertThatThrownBy(() -> cache(List.of(), true, true).fetch(source, "m"))
                .hasMessageContaining("runs offline (-o)");
        cache(List.of(), true, false).fetch(source, "m");
        assertThat(cache(List.of(), true, true).fetch(source, "m")).hasBinaryContent(CONTENT);
    }

    @Test
    void aCorruptedCacheEntryIsFetchedAgain() throws Exception {
        served.put("/dl/a.tgz", CONTENT);
        ExternalSource source = ExternalSource.of(url("/dl/a.tgz"), sha512, null, false, null, null);
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
        SourceCache viaProxy = new SourceCache(dir.resolve("cache"), List.of(), true, false, proxy,
                NetworkLimits.DEFAULTS, Map.of(), MavenTerms.INSTANCE, BuildLog.SILENT);

        assertThat(viaProxy.fetch(ExternalSource.of("http://sources.example/dl/a.tgz", sha512, null, false, null, null),
                "m")).hasBinaryContent(CONTENT);
        assertThat(requests).containsExactly("http://sources.example/dl/a.tgz");
        assertThat(proxy.selector().select(java.net.URI.create("http://mirror.internal/x")))
                .containsExactly(java.net.Proxy.NO_PROXY);
    }

    @Test
    void badDeclarationsAreRejectedBeforeAnyDownload() {
        assertThatThrownBy(() -> SourceCache.validate(ExternalSource.of(url("/a"), "abc", null, false, null, null), "mod", MavenTerms.INSTANCE))
                .hasMessageContaining("mod").hasMessageContaining("128 hex digits");
        assertThatThrownBy(() -> SourceCache.validate(ExternalSource.of(url("/a.tgz"), sha512, "../x", false, null, null),
                "mod", MavenTerms.INSTANCE))
                .hasMessageContaining("plain <fileName>");
        assertThatThrownBy(() -> SourceCache.validate(ExternalSource.of(null, sha512, null, false, null, null), "mod", MavenTerms.INSTANCE))
                .hasMessageContaining("no <url>");
        assertThat(requests).isEmpty();
    }

    private SourceCache cache(List<String> mirrors, Map<String, Credentials> servers) {
        return new SourceCache(dir.resolve("cache"), mirrors, true, false, null, NetworkLimits.DEFAULTS, servers, MavenTerms.INSTANCE, log);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private List<Path> cachedFiles() throws Exception {
        if (!Files.exists(dir.resolve("cache"))) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir.resolve("cache"))) {
            return files.filter(Files::isRegularFile).toList();
        }
    }

    @Test
    void credentialsOfTheServerNamedLikeTheHostAreSentAsBasic() throws Exception {
        served.put("/dl/a.tgz", CONTENT);
        String hostPort = "127.0.0.1:" + server.getAddress().getPort();
        cache(List.of(), Map.of(hostPort, new Credentials("alice", "pw-a"), "127.0.0.1", new Credentials("bob", "pw-b")))
                .fetch(ExternalSource.of(url("/dl/a.tgz"), sha512, null, false, null, null), "m");
        assertThat(authorizations).containsExactly("/dl/a.tgz " + basic("alice", "pw-a"));

        authorizations.clear();
        served.put("/dl/b.tgz", CONTENT);
        cache(List.of(), Map.of("127.0.0.1", new Credentials("bob", "pw-b")))
                .fetch(ExternalSource.of(url("/dl/b.tgz"), sha512, null, false, null, null), "m");
        assertThat(authorizations).containsExactly("/dl/b.tgz " + basic("bob", "pw-b"));
    }

    @Test
    void anExplicitServerIdAppliesToTheSourcesOwnUrlOnly() throws Exception {
        served.put("/dl/a.tgz", CONTENT);
        ExternalSource source = ExternalSource.of(url("/dl/a.tgz"), sha512, null, false, null, "corp");

        cache(List.of(url("/mirror")), Map.of("corp", new Credentials("carol", "pw-c"))).fetch(source, "m");

        assertThat(authorizations).containsExactly("/mirror/a.tgz/" + sha512 + "/a.tgz -",
                "/dl/a.tgz " + basic("carol", "pw-c"));
    }

    @Test
    void anUnknownServerIdFailsBeforeAnyRequest() {
        ExternalSource source = ExternalSource.of(url("/dl/a.tgz"), sha512, null, false, null, "nope");
        assertThatThrownBy(() -> cache(List.of(), Map.of()).fetch(source, "com.example:pkg"))
                .hasMessage("com.example:pkg: external source " + url("/dl/a.tgz") + " names <serverId> 'nope',"
                        + " but settings.xml <server> has no entry with that id.");
        assertThat(requests).isEmpty();
    }

    @Test
    void aRejectedLoginSaysWhichCredentialsWereSent() {
        server.createContext("/private", exchange -> {
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
        });
        ExternalSource source = ExternalSource.of(url("/private/a.tgz"), sha512, null, false, null, "corp");
        assertThatThrownBy(() -> cache(List.of(), Map.of("corp", new Credentials("carol", "pw-c"))).fetch(source, "m"))
                .hasMessageContaining(url("/private/a.tgz") + ": HTTP 401 (unauthorized: the server wants credentials,"
                        + " or rejected the ones sent); the credentials of <server> 'corp' were sent, check them")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("pw-c"));
        assertThatThrownBy(() -> cache(List.of(), Map.of()).fetch(
                ExternalSource.of(url("/private/a.tgz"), sha512, null, false, null, null), "m"))
                .hasMessageContaining("; no credentials were sent: add a settings.xml <server> entry with id '127.0.0.1'");
    }

    @Test
    void credentialsInTheUrlAreUsedButNeverShown() throws Exception {
        String secret = "hunter2-secret";
        int port = server.getAddress().getPort();
        String withCredentials = "http://dave:" + secret + "@127.0.0.1:" + port;
        served.put("/dl/a.tgz", CONTENT);
        SourceCache cache = cache(List.of(withCredentials + "/mirror"), Map.of());
        List<String> messages = new ArrayList<>();

        cache.fetch(ExternalSource.of(withCredentials + "/dl/a.tgz", sha512, null, false, null, null), "m");
        for (String bad : List.of(withCredentials + "/dl/missing.tgz", "http://dave:" + secret + "@127.0.0.1:9/a.tgz",
                "http://dave:" + secret + "@no-such-host.invalid/a.tgz", "ftp://dave:" + secret + "@127.0.0.1/a.tgz",
                "http://dave:" + secret + "@127.0.0.1/a b.tgz", "http://dave:" + secret + "/x@127.0.0.1/a.tgz")) {
            ExternalSource source = ExternalSource.of(bad, sha512, "other.tgz", false, null, null);
            assertThatThrownBy(() -> cache.fetch(source, "m")).satisfies(e -> messages.add(e.getMessage()));
            messages.add(source.toString());
        }

        assertThat(authorizations).contains("/dl/a.tgz " + basic("dave", secret));
        assertThat(requests).allSatisfy(path -> assertThat(path).doesNotContain("dave"));
        assertThat(log.lines().stream().filter(l -> l.startsWith("WARN http://***@127.0.0.1:" + port + "/")
                && l.contains("has credentials written into the URL"))).as("one warning per host and port").hasSize(1);
        assertThat(messages).hasSize(12).allSatisfy(m -> assertThat(m).doesNotContain(secret).contains("***@"));
        assertThat(log.lines()).isNotEmpty().allSatisfy(l -> assertThat(l).doesNotContain(secret));
        assertThat(String.join("\n", messages)).contains("http://***@127.0.0.1:" + port + "/dl/missing.tgz: HTTP 404",
                "http://***@127.0.0.1:9/a.tgz: connection refused by 127.0.0.1:9",
                "http://***@no-such-host.invalid/a.tgz: cannot resolve host no-such-host.invalid",
                "the <url> of external source ftp://***@127.0.0.1/a.tgz has the unsupported scheme 'ftp'",
                "the <url> of external source http://***@127.0.0.1/a b.tgz is not a valid URL (Illegal character in"
                        + " path at index");
    }

    @Test
    void badUrlsAreRejectedBeforeAnyDownload() {
        assertThatThrownBy(() -> SourceCache.validate(ExternalSource.of("http://h/a b.tgz", sha512, null, false, null,
                null), "mod", MavenTerms.INSTANCE)).hasMessage("mod: the <url> of external source http://h/a b.tgz is not a valid URL"
                        + " (Illegal character in path at index 10).");
        assertThatThrownBy(() -> SourceCache.validate(ExternalSource.of("gopher://h/a.tgz", sha512, null, false, null,
                null), "mod", MavenTerms.INSTANCE)).hasMessage("mod: the <url> of external source gopher://h/a.tgz has the unsupported"
                        + " scheme 'gopher'; use http, https or file.");
        assertThatThrownBy(() -> SourceCache.validate(ExternalSource.of("a.tgz", sha512, null, false, null, null), "mod", MavenTerms.INSTANCE))
                .hasMessageContaining("has no scheme; use http, https or file");
        assertThatThrownBy(() -> SourceCache.validate(ExternalSource.of("http:///a.tgz", sha512, null, false, null,
                null), "mod", MavenTerms.INSTANCE)).hasMessageContaining("has no host name");
        assertThatThrownBy(() -> SourceCache.validate(ExternalSource.of(url("/a.tgz"), sha512, null, false, 0L, null),
                "mod", MavenTerms.INSTANCE)).hasMessageContaining("declares <size> 0; a size is a positive number of bytes");
        assertThat(requests).isEmpty();
    }

    @Test
    void badMirrorsAreRejectedBeforeAnyDownload() {
        ExternalSource source = ExternalSource.of(url("/dl/a.tgz"), sha512, null, false, null, null);
        assertThatThrownBy(() -> cache(List.of(url("/m1"), "ftp://u:mirror-pw@mirror.example/lookaside"), Map.of())
                .fetch(source, "m"))
                .hasMessage("Lookaside mirror ftp://***@mirror.example/lookaside has the unsupported scheme 'ftp'; use"
                        + " http, https or file; fix <lookasideMirrors> (twoliter.lookasideMirrors).");
        assertThatThrownBy(() -> SourceCache.validateMirrors(List.of("https://mirror example/"), MavenTerms.INSTANCE))
                .hasMessageContaining("Lookaside mirror https://mirror example is not a valid URL (Illegal character in"
                        + " authority at index 8)");
        assertThatThrownBy(() -> SourceCache.validateMirrors(List.of("file://server/share"), MavenTerms.INSTANCE))
                .hasMessageContaining("Lookaside mirror file://server/share is not a local file URL");
        assertThat(requests).isEmpty();
    }

    @Test
    void leftoversOfDeadDownloadsAreSweptAndLiveOnesKept() throws Exception {
        served.put("/dl/a.tgz", CONTENT);
        Path entry = dir.resolve("cache/a.tgz").resolve(sha512);
        Path live = Temporaries.newFile(entry, "download");
        // Named as Temporaries names them, for this host but a process that is gone: our pid with
        // another start time is how a reused pid looks, and a finished child's pid is simply gone.
        String host = live.getFileName().toString().split("\\.")[2];
        Process child = new ProcessBuilder("true").start();
        child.waitFor();
        Path dead = Files.writeString(entry.resolve(".download." + host + "." + child.pid() + ".1.0123abcd.part"), "half");
        Path reused = Files.writeString(entry.resolve(".download." + host + "." + ProcessHandle.current().pid()
                + ".1.89abcdef.part"), "half");

        cache(List.of(), Map.of()).fetch(ExternalSource.of(url("/dl/a.tgz"), sha512, null, false, null, null), "m");

        assertThat(dead).doesNotExist();
        assertThat(reused).doesNotExist();
        assertThat(live).exists();
        assertThat(log.lines()).anySatisfy(l -> assertThat(l).startsWith("DEBUG Removed leftovers of interrupted downloads")
                .contains(dead.getFileName().toString()));
        try (Stream<Path> files = Files.list(entry)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("a.tgz", live.getFileName().toString());
        }
    }

    @Test
    void noPartialFileIsLeftWhenEveryLocationFails() throws Exception {
        served.put("/m1/a.tgz/" + sha512 + "/a.tgz", "tampered".getBytes(StandardCharsets.UTF_8));
        ExternalSource source = ExternalSource.of(url("/dl/a.tgz"), sha512, null, false, (long) CONTENT.length, null);
        assertThatThrownBy(() -> cache(List.of(url("/m1"), url("/m2")), Map.of()).fetch(source, "m"))
                .hasMessageContaining(url("/m1/a.tgz/" + sha512 + "/a.tgz") + ": the server announces 8 bytes, but the"
                        + " declared <size> is 22 bytes")
                .hasMessageContaining(url("/m2/a.tgz/" + sha512 + "/a.tgz") + ": HTTP 404 (not found)")
                .hasMessageContaining(url("/dl/a.tgz") + ": HTTP 404 (not found)");
        assertThat(cachedFiles()).isEmpty();
    }

    @Test
    void fileNamesAreEscapedInMirrorUrls() throws Exception {
        served.put("/m/a b#1.tgz/" + sha512 + "/a b#1.tgz", CONTENT);
        ExternalSource source = ExternalSource.of(url("/dl/x.tgz"), sha512, "a b#1.tgz", false, null, null);
        assertThat(cache(List.of(url("/m")), Map.of()).fetch(source, "m")).hasBinaryContent(CONTENT);
    }
}
