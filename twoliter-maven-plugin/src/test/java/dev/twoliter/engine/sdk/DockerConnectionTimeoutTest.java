package dev.twoliter.engine.sdk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.twoliter.engine.BuildEnvironmentException;
import dev.twoliter.engine.BuildLog;
import dev.twoliter.engine.Terms;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Endpoints that are not Docker engines; needs no Docker. */
class DockerConnectionTimeoutTest {
    private static final DockerTimeouts FAST = new DockerTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(1),
            "twoliter.dockerConnectTimeoutSeconds", "twoliter.dockerReadTimeoutSeconds");

    @Test
    void anEndpointThatAcceptsButNeverAnswersFailsWithinTheConnectTimeout() throws Exception {
        List<Socket> held = new CopyOnWriteArrayList<>();
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                    }
                } catch (java.io.IOException e) {
                    // closed at the end of the test
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            String host = "tcp://127.0.0.1:" + silent.getLocalPort();
            assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThatThrownBy(() ->
                    DockerEngine.connect(host, FAST, Terms.PLAIN, BuildLog.SILENT))
                    .isInstanceOf(BuildEnvironmentException.class)
                    .hasMessageContaining("Docker is not reachable at " + host
                            + " (no answer within 1 s (twoliter.dockerConnectTimeoutSeconds))"));
            assertThat(held).isNotEmpty();
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }

    @Test
    void aMalformedHostIsRefusedBeforeAnyConnection() {
        assertThatThrownBy(() -> DockerEngine.connect("foo://bar", FAST, Terms.PLAIN, BuildLog.SILENT))
                .hasMessage("Docker host 'foo://bar' is not a Docker endpoint URL (unix:///var/run/docker.sock or"
                        + " tcp://host:port): the scheme must be unix:// or tcp://.");
    }

    @Test
    void timeoutsAreNamedInMessages() {
        assertThat(DockerConnection.describe(new RuntimeException(new SocketTimeoutException("Read timed out")), FAST))
                .isEqualTo("no answer within 1 s (twoliter.dockerReadTimeoutSeconds)");
        assertThat(DockerConnection.describe(new RuntimeException(new SocketTimeoutException("Connect timed out")), FAST))
                .isEqualTo("no connection within 1 s (twoliter.dockerConnectTimeoutSeconds)");
        assertThat(DockerConnection.describe(new RuntimeException("boom"), FAST)).isEqualTo("boom");
    }
}
