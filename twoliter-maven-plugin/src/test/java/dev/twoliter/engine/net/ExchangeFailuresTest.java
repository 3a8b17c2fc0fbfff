package dev.twoliter.engine.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** How a failed exchange is worded, from the exceptions the JDK's client wraps around the system's. */
class ExchangeFailuresTest {
    private static final NetworkLimits LIMITS = new NetworkLimits(Duration.ofSeconds(2), Duration.ofSeconds(3),
            Duration.ofMinutes(4), 1 << 20, NetworkLimits.UNNAMED);
    private static final URI URL = URI.create("https://user:secret@files.example.org/start");
    private static final URI CURRENT = URI.create("https://mirror.example.org:8443/f");
    private static final String AT = "https://***@files.example.org/start (redirected to https://mirror.example.org:8443/f)";

    private static final ProxySelector VIA_PROXY = new ProxySelector() {
        @Override
        public List<Proxy> select(URI uri) {
            return List.of(new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved("proxy.example", 3128)));
        }

        @Override
        public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {}
    };

    private final ExchangeFailures direct = new ExchangeFailures(LIMITS, null);
    private final ExchangeFailures proxied = new ExchangeFailures(LIMITS, VIA_PROXY);

    /** The client's wrapping of a cause. */
    private static IOException wrapped(Throwable cause) {
        return new IOException("wrapped: " + cause.getMessage(), cause);
    }

    private String direct(Throwable error) throws IOException {
        return direct.describe(error, URL, CURRENT, null, false).getMessage();
    }

    @Test
    void connectingResolvingAndTlsNameTheHostOrTheProxy() throws Exception {
        assertThat(direct(wrapped(new HttpConnectTimeoutException("timed out"))))
                .isEqualTo(AT + ": cannot connect to mirror.example.org:8443 within 2 s (connect timeout)");
        assertThat(proxied.describe(new HttpConnectTimeoutException("timed out"), URL, CURRENT, null, false))
                .hasMessage(AT + ": cannot connect to proxy proxy.example:3128 within 2 s (connect timeout)");
        assertThat(direct(new ConnectException(null))).isEqualTo(AT + ": connection refused by mirror.example.org:8443");
        assertThat(direct(wrapped(new ConnectException("Connection refused"))))
                .isEqualTo(AT + ": connection refused by mirror.example.org:8443");
        assertThat(direct(wrapped(new ConnectException("No route to host"))))
                .isEqualTo(AT + ": cannot connect to mirror.example.org:8443: No route to host");
        assertThat(direct(wrapped(new UnresolvedAddressException())))
                .isEqualTo(AT + ": cannot resolve host mirror.example.org");
        assertThat(proxied.describe(new UnresolvedAddressException(), URL, CURRENT, null, false))
                .hasMessage(AT + ": cannot resolve host of the proxy proxy.example:3128");
        assertThat(direct(wrapped(new SSLHandshakeException("PKIX path building failed"))))
                .isEqualTo(AT + ": the TLS connection to mirror.example.org:8443 failed: PKIX path building failed");
    }

    @Test
    void aSilentServerIsTheReadTimeoutUnlessTheDeadlineCutTheWaitShort() throws Exception {
        assertThat(direct(new HttpTimeoutException("request timed out")))
                .isEqualTo(AT + ": no data for 3 s (read timeout) while waiting for the response");
        assertThat(direct.describe(new HttpTimeoutException("request timed out"), URL, CURRENT, null, true))
                .hasMessage(AT + ": the download did not finish within 4 min (overall timeout)");
        assertThat(direct.overall(URL, URL, null))
                .hasMessage("https://***@files.example.org/start: the download did not finish within 4 min (overall"
                        + " timeout)");
    }

    @Test
    void ourOwnReasonsAndAServerThatHungUpAreSaidAsSuch() throws Exception {
        assertThat(direct(wrapped(new DownloadAbort("the download grew past 1 MiB; aborted"))))
                .isEqualTo(AT + ": the download grew past 1 MiB; aborted");
        assertThat(direct(new IOException("HTTP/1.1 header parser received no bytes")))
                .isEqualTo(AT + ": the server closed the connection without answering");
        assertThat(direct(new EOFException("EOF reached while reading")))
                .isEqualTo(AT + ": the server closed the connection without answering");
        assertThat(direct(new IOException("something else"))).isEqualTo(AT + ": something else");
        assertThat(direct(new IllegalStateException())).isEqualTo(AT + ": IllegalStateException");

        ScheduledThreadPoolExecutor watchdog = new ScheduledThreadPoolExecutor(1);
        try {
            BodyToFile body = new BodyToFile(Path.of("unused"), SizeBound.of(null, LIMITS, "<size>"), 10, LIMITS,
                    System.nanoTime(), watchdog);
            assertThat(direct.describe(wrapped(new EOFException()), URL, CURRENT, body, false))
                    .hasMessage(AT + ": the server closed the connection after 0 of 10 bytes");
            assertThat(direct.overall(URL, CURRENT, body))
                    .hasMessage(AT + ": the download did not finish within 4 min (overall timeout); 0 of 10 bytes"
                            + " arrived");
        } finally {
            watchdog.shutdownNow();
        }
    }

    @Test
    void aFailureToWriteOnThisSideIsNoDownloadFailure() {
        BodyToFile.WriteFailure full = new BodyToFile.WriteFailure(Path.of("/cache/file"),
                new IOException("No space left on device"));
        assertThatThrownBy(() -> direct(wrapped(full))).isSameAs(full)
                .hasMessage("cannot write /cache/file: No space left on device");
    }
}
