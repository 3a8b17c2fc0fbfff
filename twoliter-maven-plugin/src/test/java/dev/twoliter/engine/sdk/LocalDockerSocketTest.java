package dev.twoliter.engine.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.twoliter.engine.BuildEnvironmentException;
import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.Terms;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JDK-only client of the local socket, against servers on a unix socket in a temporary directory. */
class LocalDockerSocketTest {
    private static final DockerTimeouts FAST = new DockerTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1),
            "twoliter.dockerConnectTimeoutSeconds", "twoliter.dockerReadTimeoutSeconds");

    @TempDir
    Path dir;

    @Test
    void readsAPlainAndAChunkedAnswer() throws Exception {
        byte[] plain = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 7\r\n\r\n{\"a\":1}".getBytes(
                StandardCharsets.US_ASCII);
        assertThat(LocalDockerSocket.parse(plain).text()).isEqualTo("{\"a\":1}");
        byte[] chunked = "HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\n\r\n4\r\n{\"me\r\n6;x=y\r\nssage\"\r\n0\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        LocalDockerSocket.Response answer = LocalDockerSocket.parse(chunked);
        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.text()).isEqualTo("{\"message\"");
    }

    @Test
    void refusesAnswersThatAreNotWholeHttp() {
        assertThatThrownBy(() -> LocalDockerSocket.parse("SSH-2.0-OpenSSH\r\n\r\n".getBytes(StandardCharsets.US_ASCII)))
                .hasMessageContaining("not HTTP/1.x");
        assertThatThrownBy(() -> LocalDockerSocket.parse("HTTP/1.1 200 OK\r\nContent-Length: 99\r\n\r\nshort"
                .getBytes(StandardCharsets.US_ASCII))).hasMessageContaining("shorter than its Content-Length");
        assertThatThrownBy(() -> LocalDockerSocket.parse("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n"
                .getBytes(StandardCharsets.US_ASCII))).hasMessageContaining("bad chunk size");
        assertThatThrownBy(() -> LocalDockerSocket.parse("HTTP/1.1 200 OK\r\nContent-Length: 1".getBytes(
                StandardCharsets.US_ASCII))).hasMessageContaining("inside its headers");
    }

    @Test
    void talksToAServerOnTheSocket() throws Exception {
        Path socket = dir.resolve("docker.sock");
        List<String> requests = new CopyOnWriteArrayList<>();
        try (ServerSocketChannel server = serve(socket, request -> {
            requests.add(request);
            return "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nOK";
        })) {
            LocalDockerSocket.Response pong = new LocalDockerSocket(socket, FAST).get("/_ping");
            assertThat(pong.status()).isEqualTo(200);
            assertThat(pong.text()).isEqualTo("OK");
            assertThat(requests.get(0)).startsWith("GET /_ping HTTP/1.1\r\nHost: docker\r\n").contains("Connection: close");
        }
    }

    @Test
    void aServerThatNeverAnswersFailsWithinTheReadTimeout() throws Exception {
        Path socket = dir.resolve("silent.sock");
        try (ServerSocketChannel server = serve(socket, request -> null)) {
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThatThrownBy(() ->
                    new LocalDockerSocket(socket, FAST).get("/_ping")).isInstanceOf(SocketTimeoutException.class));
            assertTimeoutPreemptively(Duration.ofSeconds(20), () -> assertThatThrownBy(() ->
                    DockerEngine.connect("unix://" + socket, FAST, Terms.PLAIN, BuildLog.SILENT))
                    .isInstanceOf(BuildEnvironmentException.class)
                    .hasMessageContaining("Docker is not reachable at unix://" + socket + " (no answer within 1 s"));
        }
    }

    @Test
    void anAnswerBeyondTheBoundIsRefused() throws Exception {
        Path socket = dir.resolve("flood.sock");
        String huge = "HTTP/1.1 200 OK\r\n\r\n" + "x".repeat(LocalDockerSocket.MAX_RESPONSE_BYTES + 10);
        try (ServerSocketChannel server = serve(socket, request -> huge)) {
            assertThatThrownBy(() -> new LocalDockerSocket(socket, FAST).get("/images/x/json"))
                    .isInstanceOf(IOException.class).hasMessageContaining("exceeds 4 MiB");
        }
    }

    @Test
    void aRequestPathIsNeverAssembledFromUnencodedText() {
        assertThatThrownBy(() -> new LocalDockerSocket(dir.resolve("any.sock"), FAST).get("/images/a b/json"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LocalDockerSocket(dir.resolve("any.sock"), FAST).get("/x\r\nHost: evil"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Serves each connection on a daemon thread: reads the request head, writes {@code answer}'s reply (null: none). */
    private static ServerSocketChannel serve(Path socket, Function<String, String> answer) throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    SocketChannel client = server.accept();
                    ByteBuffer buffer = ByteBuffer.allocate(8192);
                    StringBuilder request = new StringBuilder();
                    while (!request.toString().contains("\r\n\r\n") && client.read(buffer) > 0) {
                        request.append(new String(buffer.array(), 0, buffer.position(), StandardCharsets.US_ASCII));
                        buffer.clear();
                    }
                    String reply = answer.apply(request.toString());
                    if (reply != null) {
                        ByteBuffer out = ByteBuffer.wrap(reply.getBytes(StandardCharsets.US_ASCII));
                        while (out.hasRemaining()) {
                            client.write(out);
                        }
                        client.close();
                    }
                }
            } catch (IOException e) {
                // closed at the end of the test
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        return server;
    }
}
